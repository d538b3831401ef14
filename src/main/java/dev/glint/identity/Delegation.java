package dev.glint.identity;

import java.util.Set;

/**
 * Which tokens act through a delegation, as Keystone Zed's {@code api/_shared/delegation.py} (with
 * its LP#2153453, LP#2158538 and LP#2159643 fixes) decides for the guards on trusts, OAuth1 access
 * tokens, application credentials and credentials.
 */
final class Delegation {
  /**
   * Keystone's built-in primary methods: they authenticate the user directly. Any other method
   * ({@code application_credential}, {@code oauth1}, one not reviewed yet) is delegated.
   */
  static final Set<String> PRIMARY_METHODS =
      Set.of(
          "external", "kerberos", "mapped", "openid", "password", "saml2", "token", "totp", "x509");

  private Delegation() {}

  /**
   * Keystone's {@code is_delegated_method}: a method outside {@link #PRIMARY_METHODS}, or no method
   * at all (a token that lost its methods is not taken for a primary one).
   */
  static boolean delegatedMethod(Caller caller) {
    return caller.methods().isEmpty() || !PRIMARY_METHODS.containsAll(caller.methods());
  }

  /**
   * A trust-scoped token (a trust is a scope, its methods are the trustee's own) or one issued
   * through a delegated method.
   */
  static boolean delegated(Caller caller) {
    return caller.trust() != null || delegatedMethod(caller);
  }
}
