package dev.glint.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parsed oslo.policy rule expression: {@code @} (always), {@code !} (never), the empty string
 * (always), {@code role:X}, {@code rule:name}, generic checks {@code key:value} whose value is a
 * literal or {@code %(target.key)s} (e.g. {@code is_admin:True}, {@code
 * project_id:%(project_id)s}, {@code 'public':%(visibility)s}), combined with {@code not}, {@code
 * and}, {@code or} (that precedence) and parentheses. Immutable.
 */
sealed interface Rule {
  /** Whether the rule lets {@code creds} act on {@code target}; {@code rules} resolves names. */
  boolean test(Credentials creds, Map<String, String> target, Policy rules);

  record Always(boolean value) implements Rule {
    public boolean test(Credentials c, Map<String, String> t, Policy p) {
      return value;
    }
  }

  record Not(Rule rule) implements Rule {
    public boolean test(Credentials c, Map<String, String> t, Policy p) {
      return !rule.test(c, t, p);
    }
  }

  record And(List<Rule> rules) implements Rule {
    public boolean test(Credentials c, Map<String, String> t, Policy p) {
      return rules.stream().allMatch(r -> r.test(c, t, p));
    }
  }

  record Or(List<Rule> rules) implements Rule {
    public boolean test(Credentials c, Map<String, String> t, Policy p) {
      return rules.stream().anyMatch(r -> r.test(c, t, p));
    }
  }

  /** {@code rule:name}: another rule of the policy; an unknown name never passes (oslo). */
  record Named(String name) implements Rule {
    public boolean test(Credentials c, Map<String, String> t, Policy p) {
      return p.test(name, c, t);
    }
  }

  /** {@code role:X}, case-insensitive as oslo.policy compares roles. */
  record HasRole(String role) implements Rule {
    public boolean test(Credentials c, Map<String, String> t, Policy p) {
      return c.roles().contains(role.toLowerCase(Locale.ROOT));
    }
  }

  /** {@code key:value}: a credential (or a quoted literal) against a literal or a target field. */
  record Generic(String key, String match) implements Rule {
    private static final Pattern TEMPLATE = Pattern.compile("%\\((.+)\\)s");

    public boolean test(Credentials c, Map<String, String> t, Policy p) {
      String wanted;
      Matcher m = TEMPLATE.matcher(match);
      if (m.matches()) {
        wanted = t.get(m.group(1));
        if (wanted == null) {
          return false;
        }
      } else {
        wanted = unquote(match);
      }
      if (isQuoted(key)) {
        return unquote(key).equals(wanted);
      }
      if (key.equals("is_admin")) {
        return Boolean.toString(p.isAdmin(c)).equalsIgnoreCase(wanted);
      }
      Object have = c.value(key);
      if (have instanceof List<?> list) {
        return list.contains(wanted.toLowerCase(Locale.ROOT));
      }
      return have != null && have.toString().equals(wanted);
    }

    private static boolean isQuoted(String s) {
      return s.length() >= 2
          && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""));
    }

    private static String unquote(String s) {
      return isQuoted(s) ? s.substring(1, s.length() - 1) : s;
    }
  }

  /** Parses an expression; a syntax error is an {@link IllegalArgumentException} naming it. */
  static Rule parse(String expression) {
    List<String> tokens = tokens(expression);
    if (tokens.isEmpty()) {
      return new Always(true);
    }
    Parser parser = new Parser(tokens, expression);
    Rule rule = parser.or();
    if (parser.pos != tokens.size()) {
      throw parser.error("unexpected '" + tokens.get(parser.pos) + "'");
    }
    return rule;
  }

  private static List<String> tokens(String expression) {
    List<String> out = new ArrayList<>();
    for (String word : expression.trim().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      int start = 0;
      int end = word.length();
      while (start < end && word.charAt(start) == '(') {
        out.add("(");
        start++;
      }
      int closing = 0;
      while (end > start && word.charAt(end - 1) == ')') {
        closing++;
        end--;
      }
      if (start < end) {
        out.add(word.substring(start, end));
      }
      for (int i = 0; i < closing; i++) {
        out.add(")");
      }
    }
    return out;
  }

  /** Recursive descent: or := and ('or' and)*; and := not ('and' not)*; not := 'not' not | atom. */
  final class Parser {
    private final List<String> tokens;
    private final String text;
    private int pos;

    private Parser(List<String> tokens, String text) {
      this.tokens = tokens;
      this.text = text;
    }

    private IllegalArgumentException error(String why) {
      return new IllegalArgumentException("bad policy rule \"" + text + "\": " + why);
    }

    private boolean at(String word) {
      return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word);
    }

    Rule or() {
      List<Rule> parts = new ArrayList<>(List.of(and()));
      while (at("or")) {
        pos++;
        parts.add(and());
      }
      return parts.size() == 1 ? parts.get(0) : new Or(List.copyOf(parts));
    }

    Rule and() {
      List<Rule> parts = new ArrayList<>(List.of(not()));
      while (at("and")) {
        pos++;
        parts.add(not());
      }
      return parts.size() == 1 ? parts.get(0) : new And(List.copyOf(parts));
    }

    Rule not() {
      if (at("not")) {
        pos++;
        return new Not(not());
      }
      return atom();
    }

    Rule atom() {
      if (pos >= tokens.size()) {
        throw error("ends too soon");
      }
      String t = tokens.get(pos++);
      if (t.equals("(")) {
        Rule inner = or();
        if (!at(")")) {
          throw error("missing ')'");
        }
        pos++;
        return inner;
      }
      if (t.equals("@")) {
        return new Always(true);
      }
      if (t.equals("!")) {
        return new Always(false);
      }
      int colon = t.indexOf(':');
      if (colon <= 0 || colon == t.length() - 1) {
        throw error("'" + t + "' is not a check (kind:value, @ or !)");
      }
      String kind = t.substring(0, colon);
      String value = t.substring(colon + 1);
      return switch (kind) {
        case "rule" -> new Named(value);
        case "role" -> new HasRole(value);
        default -> new Generic(kind, value);
      };
    }
  }
}
