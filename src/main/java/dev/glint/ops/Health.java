package dev.glint.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.catalog.BlobStore;
import dev.glint.config.GlintConfig;
import dev.glint.http.Principal;
import dev.glint.http.TokenValidator;
import dev.glint.store.Database;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthcheck} as oslo.middleware's healthcheck app serves it in front of Nova and Glance:
 * {@code 200 OK} (HEAD: 204) or 503, as text/plain unless the client prefers JSON or HTML. An admin
 * token gets the detailed form (each check with its state and details), which oslo only gives
 * when {@code detailed = True}.
 *
 * <p>Checks: the draining file ({@code healthcheck.disable_by_file}, oslo's {@code
 * disable_by_file} backend: {@code DISABLED BY FILE}), then readiness: the store answers a query,
 * the Fernet keys are loaded, the blob store takes a write, and whether the in-memory list index
 * has caught up (reported, never failing: the store answers lists meanwhile).
 */
final class Health {
  static final String PATH = "/healthcheck";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Optional<Path> disableByFile;
  private final Database db;
  private final BlobStore blobs;
  private final TokenValidator tokens;
  private final IntSupplier keys;
  private volatile Supplier<Boolean> catalogIndex;

  Health(GlintConfig config, Database db, BlobStore blobs, TokenValidator tokens,
      IntSupplier keys) {
    this.disableByFile = config.ops().disableByFile();
    this.db = db;
    this.blobs = blobs;
    this.tokens = tokens;
    this.keys = keys;
  }

  void catalogIndex(Supplier<Boolean> warm) {
    this.catalogIndex = warm;
  }

  /** One check's outcome, as oslo's {@code HealthcheckResult}: available, reason, details. */
  record Result(String check, boolean available, String reason, String details) {}

  List<Result> results() {
    List<Result> out = new ArrayList<>();
    if (disableByFile.isPresent() && Files.exists(disableByFile.get())) {
      out.add(new Result("disable_by_file", false, "DISABLED BY FILE",
          disableByFile.get() + " exists: draining"));
    } else {
      out.add(new Result("disable_by_file", true, "OK",
          disableByFile.map(p -> p + " absent").orElse("healthcheck.disable_by_file not set")));
    }
    out.add(check("store", () -> {
      db.ping();
      return db.dialect().name().toLowerCase(Locale.ROOT) + " answered SELECT 1";
    }));
    out.add(check("keys", () -> {
      int n = keys.getAsInt();
      if (n < 1) {
        throw new IllegalStateException("no Fernet key loaded");
      }
      return n + " Fernet keys loaded";
    }));
    out.add(check("blob_store", () -> {
      // A real write: a tiny blob under a random key, stored and removed at once.
      String key = UUID.randomUUID().toString();
      byte[] probe = "glint healthcheck".getBytes(StandardCharsets.US_ASCII);
      try {
        blobs.put(key, new ByteArrayInputStream(probe), probe.length);
      } finally {
        blobs.delete(key);
      }
      return "writable (" + blobs.getClass().getSimpleName() + ")";
    }));
    Supplier<Boolean> index = catalogIndex;
    // Never failing: while the index builds or catches up, lists are answered by the store.
    if (index == null) {
      out.add(new Result("catalog_index", true, "off",
          "list.index is false: lists are answered by the store"));
    } else {
      out.add(index.get()
          ? new Result("catalog_index", true, "OK", "lists are answered from memory")
          : new Result("catalog_index", true, "catching up",
              "lists are answered by the store until the index reaches this node's generation"));
    }
    return out;
  }

  private interface Probe {
    String run() throws Exception;
  }

  private static Result check(String name, Probe probe) {
    try {
      return new Result(name, true, "OK", probe.run());
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new Result(name, false, name + " unavailable", root.toString());
    }
  }

  void handle(Context ctx) {
    HandlerType method = ctx.method();
    if (method != HandlerType.GET && method != HandlerType.HEAD) {
      ctx.header("Allow", "GET, HEAD");
      ctx.status(405).contentType("text/plain; charset=UTF-8").result("405 Method Not Allowed");
      return;
    }
    List<Result> results = results();
    boolean healthy = results.stream().allMatch(Result::available);
    // oslo's plain answer lists the failing reasons, or OK; the informational states
    // ("not built") are for the detailed form.
    List<String> reasons =
        healthy ? List.of("OK")
            : results.stream().filter(r -> !r.available()).map(Result::reason).toList();
    ctx.header("Cache-Control", "no-cache");
    if (method == HandlerType.HEAD) {
      ctx.status(healthy ? 204 : 503).contentType("text/plain; charset=UTF-8");
      return;
    }
    ctx.status(healthy ? 200 : 503);
    boolean detailed = isAdmin(ctx);
    switch (preferred(ctx.header("Accept"))) {
      case "application/json" -> {
        ObjectNode body = JSON.objectNode();
        body.put("detailed", detailed);
        if (detailed) {
          body.put("now", Instant.now().toString());
          body.put("java_version", Runtime.version().toString());
          ArrayNode list = body.putArray("reasons");
          for (Result r : results) {
            list.addObject()
                .put("class", r.check())
                .put("available", r.available())
                .put("reason", r.reason())
                .put("details", r.details());
          }
        } else {
          ArrayNode list = body.putArray("reasons");
          reasons.forEach(list::add);
        }
        ctx.contentType("application/json").result(body.toPrettyString());
      }
      case "text/html" -> {
        StringBuilder html = new StringBuilder("<HTML>\n<HEAD><TITLE>Healthcheck Status</TITLE>"
            + "</HEAD>\n<BODY>\n<H2>Result of " + results.size() + " checks:</H2>\n<TABLE>\n");
        for (Result r : detailed ? results : reasons.stream()
            .map(s -> new Result("", true, s, "")).toList()) {
          html.append("<TR><TD>").append(escape(r.reason())).append("</TD>");
          if (detailed) {
            html.append("<TD>").append(escape(r.check())).append("</TD><TD>")
                .append(escape(r.details())).append("</TD>");
          }
          html.append("</TR>\n");
        }
        ctx.contentType("text/html; charset=UTF-8").result(html + "</TABLE>\n</BODY>\n</HTML>");
      }
      default -> ctx.contentType("text/plain; charset=UTF-8").result(String.join("\n", reasons));
    }
  }

  private boolean isAdmin(Context ctx) {
    String token = ctx.header("X-Auth-Token");
    return token != null && tokens.principal(token).map(Principal::isAdmin).orElse(false);
  }

  /**
   * webob's {@code acceptable_offers} over oslo's order (text/plain, text/html, application/json):
   * the offer with the highest q wins, ties going to the earlier offer; no Accept: text/plain.
   */
  static String preferred(String accept) {
    String[] offers = {"text/plain", "text/html", "application/json"};
    if (accept == null || accept.isBlank()) {
      return offers[0];
    }
    String best = offers[0];
    double bestQ = -1;
    for (String offer : offers) {
      double q = 0;
      int specificity = -1;
      for (String part : accept.split(",")) {
        String[] bits = part.trim().split(";");
        String range = bits[0].trim().toLowerCase(Locale.ROOT);
        double rq = 1;
        for (int i = 1; i < bits.length; i++) {
          String p = bits[i].trim();
          if (p.startsWith("q=")) {
            try {
              rq = Double.parseDouble(p.substring(2));
            } catch (NumberFormatException e) {
              rq = 0;
            }
          }
        }
        int s = range.equals(offer) ? 2
            : range.equals(offer.substring(0, offer.indexOf('/')) + "/*") ? 1
            : range.equals("*/*") ? 0 : -1;
        if (s > specificity) {
          specificity = s;
          q = rq;
        }
      }
      if (specificity >= 0 && q > 0 && q > bestQ) {
        best = offer;
        bestQ = q;
      }
    }
    return best;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
