package dev.glint.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /openapi.json} on each listener: served without a token, a valid OpenAPI 3.1 document
 * (swagger-parser reports nothing), naming the listener's public URL, and describing exactly the
 * routes the listener registered.
 */
class OpenApiDocumentTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    Assumptions.assumeFalse(TestStores.postgres(), "no store involved: runs in the SQLite execution");
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String url(String listener) {
    return switch (listener) {
      case "identity" -> server.identityUrl();
      case "image" -> server.imageUrl();
      default -> server.computeUrl();
    };
  }

  private static JsonNode served(String listener) {
    HttpResponse<String> r = server.get(url(listener) + "/openapi.json", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return TestServer.json(r.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "image", "compute"})
  void isServedAsAValidOpenApi31Document(String listener) {
    HttpResponse<String> r = server.get(url(listener) + "/openapi.json", null);
    assertThat(r.statusCode()).isEqualTo(200);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.body(), null, options);
    assertThat(parsed.getMessages()).as("swagger-parser's messages").isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(parsed.getOpenAPI().getServers().get(0).getUrl()).isEqualTo(url(listener));
    assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/", "/openapi.json");
    JsonNode doc = TestServer.json(r.body());
    assertThat(doc.has("x-anchors") || doc.path("components").has("x-anchors")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "image", "compute"})
  void describesEveryRouteTheListenerRegistered(String listener) {
    JsonNode doc = served(listener);
    List<String> routes = server.server().routes(listener);
    assertThat(routes).isNotEmpty();
    List<String> missing = new ArrayList<>();
    List<String> waived = new ArrayList<>();
    Set<String> routedPaths = new LinkedHashSet<>();
    for (String route : routes) {
      String[] mp = route.split(" ", 2);
      String path = OpenApiValidator.normalise(mp[1]);
      routedPaths.add(path);
      JsonNode item = resolve(doc, doc.path("paths").path(path));
      if (!item.has(mp[0].toLowerCase(Locale.ROOT))) {
        if (NotYetDescribed.listed(listener, mp[0], mp[1])) {
          waived.add(route);
        } else {
          missing.add(route);
        }
      }
    }
    assertThat(missing)
        .as("routes %s registers that %s.yaml does not describe (describe them; docs/openapi.md)",
            listener, listener)
        .isEmpty();
    if (!waived.isEmpty()) {
      System.out.printf("%s: %d routes not yet described (openapi/not-yet-described.txt)%n",
          listener, waived.size());
    }
    List<String> unrouted = new ArrayList<>();
    doc.path("paths").fieldNames().forEachRemaining(p -> {
      if (!routedPaths.contains(p)) {
        unrouted.add(p);
      }
    });
    assertThat(unrouted).as("paths %s.yaml describes that %s does not route", listener, listener).isEmpty();
  }

  /** Each line of not-yet-described.txt still waives an undescribed route; else it must go. */
  @Test
  void theNotYetDescribedListHasNoStaleLine() {
    List<String> stale = new ArrayList<>();
    for (NotYetDescribed.Entry entry : NotYetDescribed.entries()) {
      boolean used = false;
      for (String listener : List.of("identity", "image", "compute")) {
        JsonNode doc = served(listener);
        for (String route : server.server().routes(listener)) {
          String[] mp = route.split(" ", 2);
          JsonNode item =
              resolve(doc, doc.path("paths").path(OpenApiValidator.normalise(mp[1])));
          used |= entry.matches(listener, mp[0], mp[1]) && !item.has(mp[0].toLowerCase(Locale.ROOT));
        }
      }
      if (!used) {
        stale.add(entry.line());
      }
    }
    assertThat(stale).as("lines of openapi/not-yet-described.txt that waive nothing").isEmpty();
  }

  @Test
  void needsNoTokenAndNamesTheListenersOwnApi() {
    assertThat(served("compute").path("paths").has("/v2.1/{tenant_id}/images/detail")).isTrue();
    assertThat(served("image").path("paths").has("/v2/images/{image_id}/file")).isTrue();
    assertThat(served("identity").path("paths").has("/v3/auth/tokens")).isTrue();
    assertThat(served("identity").path("info").path("title").asText()).contains("Identity");
  }

  private static JsonNode resolve(JsonNode doc, JsonNode node) {
    JsonNode n = node;
    while (n.has("$ref")) {
      n = doc.at(n.get("$ref").asText().substring(1));
    }
    return n;
  }
}
