package dev.glint.identity;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the account endpoints read from a request: the caller, the query, the self link. */
final class AccountRequests {
  private AccountRequests() {}

  static Caller caller(IdentityService identity, Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  /** The query, first value of each key; a key without a value maps to {@code ""}. */
  static Map<String, String> query(Context ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  /** The request's own URL under Keystone's base, with its query. */
  static String self(Context ctx, String base) {
    String q = ctx.queryString();
    return base + ctx.path() + (q == null || q.isEmpty() ? "" : "?" + q);
  }
}
