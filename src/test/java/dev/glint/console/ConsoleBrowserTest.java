package dev.glint.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, driven by Selenium) against the real server: every check that matters is then
 * made again through the APIs. Screenshots of failures go to {@code target/console-screenshots/}.
 * {@code -Dglint.console.screenshots=DIR} also writes the README's screenshots there.
 */
@ExtendWith(ConsoleBrowserTest.ScreenshotOnFailure.class)
class ConsoleBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String XSS_NAME = "<img src=x onerror=alert(1)>";

  private static TestServer server;
  private static WebDriver driver;
  private static WebDriverWait wait;
  private static Path profile;
  private static Path downloads;
  private static String adminToken;
  private static String demoToken;
  private static String demoProject;
  private static String adminProject;

  @BeforeAll
  static void start() throws IOException {
    // A browser over the same HTTP APIs: nothing here depends on the store.
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the SQLite execution");
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromium-driver are not installed (.ci/run installs them)");
    server = TestServer.start();
    adminToken = server.adminToken();
    demoToken = server.demoToken();
    adminProject = projectOf(adminToken);
    demoProject = projectOf(demoToken);
    // The admin user may also work in the demo project, for the project switch.
    String adminUser = idOf("/v3/users?name=admin", "users");
    String member = idOf("/v3/roles?name=member", "roles");
    HttpResponse<String> grant =
        server.send(
            HttpRequest.newBuilder(
                    URI.create(server.identityUrl() + "/v3/projects/" + demoProject + "/users/"
                        + adminUser + "/roles/" + member))
                .header("X-Auth-Token", adminToken)
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(grant.statusCode()).isEqualTo(204);

    profile = Files.createTempDirectory("glint-chromium");
    downloads = Files.createDirectories(profile.resolve("downloads"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.setExperimentalOption(
        "prefs",
        java.util.Map.of(
            "download.default_directory", downloads.toString(),
            "download.prompt_for_download", false));
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
    // The browser's console log, to see that the CSP never had to block anything.
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ------------------------------------------------------------------ the tests

  @Test
  void loginKeepsTheTokenInSessionStorageAndLogoutRevokesIt() {
    createImage(demoToken, "{\"name\": \"keyboard\"}");
    login("demo", TestServer.DEMO_PASSWORD, "demo");
    assertThat(text("user-name")).isEqualTo("demo");
    String token = (String) js("return JSON.parse(sessionStorage.getItem('glint.console.session')).token");
    assertThat(token).isNotBlank();
    assertThat((Long) js("return localStorage.length")).isZero();
    assertThat(tokenStatus(token)).isEqualTo(200);

    // Every form control has a label a screen reader can announce.
    assertThat((List<?>) js(
            "return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))"
                + ".map(e => e.id || e.name)"))
        .isEmpty();
    // The keyboard alone opens an image and closes it again.
    WebElement first = driver.findElement(By.cssSelector("#images-body td.col-name button"));
    first.sendKeys(Keys.ENTER);
    wait.until(d -> (Boolean) js("return document.getElementById('detail-dialog').open"));
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    wait.until(d -> !(Boolean) js("return document.getElementById('detail-dialog').open"));
    // The page runs under its strict CSP without a single violation.
    assertThat(driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
        .map(org.openqa.selenium.logging.LogEntry::getMessage)
        .noneMatch(m -> m.contains("Content Security Policy"));

    driver.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    assertThat(js("return sessionStorage.getItem('glint.console.session')")).isNull();
    assertThat(tokenStatus(token)).isEqualTo(404);
  }

  @Test
  void phoneWidthShowsCardsWithoutSidewaysScrolling() {
    createImage(demoToken, "{\"name\": \"a-rather-long-image-name-for-a-small-phone-screen-0001\"}");
    login("demo", TestServer.DEMO_PASSWORD, "demo");
    // Glint has no import API yet (issue 13): "Create from URL" stays hidden.
    assertThat(driver.findElement(By.id("url-open")).isDisplayed()).isFalse();
    driver.manage().window().setSize(new Dimension(390, 844));
    try {
      wait.until(d -> (Boolean) js("return document.documentElement.clientWidth <= 400"));
      assertThat((Boolean) js(
              "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
          .isTrue();
      // Each row is a card: the header row is hidden, cells carry their column's label.
      assertThat(driver.findElement(By.cssSelector("#images-table thead")).isDisplayed()).isFalse();
      assertThat(js(
              "const td = document.querySelector('#images-body tr[data-id] td.col-status');"
                  + "return getComputedStyle(td, '::before').content"))
          .isEqualTo("\"Status\"");
      assertThat(js("return getComputedStyle(document.querySelector('#images-body tr')).display"))
          .isEqualTo("block");
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  void wrongPasswordShowsTheIdentityFault() {
    openConsole();
    fillLogin("demo", "not-the-password", "demo");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
    assertThat(text("notice-text")).contains("The request you have made requires authentication");
    assertThat(driver.findElement(By.id("images-view")).isDisplayed()).isFalse();
  }

  @Test
  void listFiltersByTagAndPagesForwardAndBack() {
    for (int i = 0; i < 12; i++) {
      createImage(demoToken, "{\"name\": \"page-%02d\", \"tags\": [\"paging-set\"]}".formatted(i));
    }
    login("demo", TestServer.DEMO_PASSWORD, "demo");
    openFilters();
    type("f-tag", "paging-set");
    new Select(driver.findElement(By.id("f-limit"))).selectByVisibleText("10");
    applyFilters();
    waitRows(10);
    List<String> first = names();
    assertThat(first).allMatch(n -> n.startsWith("page-"));
    assertThat(driver.findElement(By.id("prev-page")).isEnabled()).isFalse();

    driver.findElement(By.id("next-page")).click();
    waitRows(2);
    assertThat(names()).doesNotContainAnyElementsOf(first).allMatch(n -> n.startsWith("page-"));
    assertThat(driver.findElement(By.id("next-page")).isEnabled()).isFalse();

    driver.findElement(By.id("prev-page")).click();
    waitRows(10);
    assertThat(names()).isEqualTo(first);

    // Sorting by a column header: name ascending starts at page-00.
    driver.findElement(By.cssSelector("button.sort[data-sort=name]")).click();
    wait.until(d -> names().size() == 10 && names().get(0).equals("page-00"));
    assertThat(names()).isSorted();
  }

  @Test
  void uploadStreamsTheFileAndTheChecksumMatches() throws Exception {
    Path file = Files.createTempFile("glint-upload", ".img");
    try {
      byte[] data = new byte[3 * 1024 * 1024 + 17];
      new Random(15).nextBytes(data);
      Files.write(file, data);
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));

      login("demo", TestServer.DEMO_PASSWORD, "demo");
      driver.findElement(By.id("upload-open")).click();
      driver.findElement(By.id("upload-file")).sendKeys(file.toAbsolutePath().toString());
      WebElement name = driver.findElement(By.id("upload-name"));
      name.clear();
      name.sendKeys("uploaded-from-browser");
      new Select(driver.findElement(By.id("upload-disk"))).selectByVisibleText("raw");
      driver.findElement(By.id("upload-start")).click();
      wait.until(d -> !(Boolean) js("return document.getElementById('upload-dialog').open"));

      JsonNode image = findImage(demoToken, "uploaded-from-browser");
      assertThat(image.path("status").asText()).isEqualTo("active");
      assertThat(image.path("size").asLong()).isEqualTo(data.length);
      assertThat(image.path("checksum").asText()).isEqualTo(md5);
      assertThat(image.path("disk_format").asText()).isEqualTo("raw");
      waitForRowNamed("uploaded-from-browser");

      // Download: without a save-file picker (headless) the console saves through a Blob.
      openDetailOf("uploaded-from-browser");
      js("window.showSaveFilePicker = undefined");
      driver.findElement(By.id("detail-download")).click();
      Path saved = downloads.resolve("uploaded-from-browser.raw");
      wait.until(d -> Files.exists(saved) && saved.toFile().length() == data.length);
      assertThat(Files.readAllBytes(saved)).isEqualTo(data);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void editAddsAPropertyAndRenamesThroughJsonPatch() {
    String id = createImage(demoToken, "{\"name\": \"edit-me\", \"os_distro\": \"cirros\"}");
    login("demo", TestServer.DEMO_PASSWORD, "demo");
    openDetailOf("edit-me");
    driver.findElement(By.id("detail-edit")).click();
    WebElement name = driver.findElement(By.id("edit-name"));
    name.clear();
    name.sendKeys("edited");
    driver.findElement(By.id("edit-add-prop")).click();
    List<WebElement> keys = driver.findElements(By.cssSelector("#edit-props .prop-key"));
    List<WebElement> values = driver.findElements(By.cssSelector("#edit-props .prop-value"));
    keys.get(keys.size() - 1).sendKeys("hw_disk_bus");
    values.get(values.size() - 1).sendKeys("virtio");
    WebElement tags = driver.findElement(By.id("edit-tags"));
    tags.sendKeys("gold, edited");
    driver.findElement(By.id("edit-save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-props"), "hw_disk_bus"));

    JsonNode image = getImage(demoToken, id);
    assertThat(image.path("name").asText()).isEqualTo("edited");
    assertThat(image.path("hw_disk_bus").asText()).isEqualTo("virtio");
    assertThat(image.path("os_distro").asText()).isEqualTo("cirros");
    assertThat(image.path("tags").toString()).contains("gold", "edited");
  }

  @Test
  void shareWithTheDemoProjectThenAcceptItThereAfterSwitching() {
    String id =
        createImage(adminToken, "{\"name\": \"shared-with-demo\", \"visibility\": \"shared\"}");
    login("admin", TestServer.ADMIN_PASSWORD, "admin");
    openDetailOf("shared-with-demo");
    type("share-project", demoProject);
    driver.findElement(By.cssSelector("#share-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-list"), demoProject));
    assertThat(text("member-list")).contains("pending");
    closeDialog("detail-dialog");

    // Switch project (a token rescoped to demo) and answer the share there.
    String adminScoped = sessionToken();
    new Select(driver.findElement(By.id("project-select"))).selectByVisibleText("demo");
    wait.until(
        d -> "demo".equals(js("return JSON.parse(sessionStorage.getItem('glint.console.session')).project.name")));
    openFilters();
    type("f-name", "shared-with-demo");
    new Select(driver.findElement(By.id("f-member-status"))).selectByVisibleText("pending");
    applyFilters();
    openDetailOf("shared-with-demo");
    driver.findElement(By.id("member-accept")).click();
    wait.until(ExpectedConditions.textToBe(By.id("my-member-status"), "accepted"));
    closeDialog("detail-dialog");

    // Accepted shares are in the project's default list.
    new Select(driver.findElement(By.id("f-member-status"))).selectByVisibleText("accepted");
    applyFilters();
    waitForRowNamed("shared-with-demo");
    HttpResponse<String> member =
        server.get(server.imageUrl() + "/v2/images/" + id + "/members/" + demoProject, demoToken);
    assertThat(TestServer.json(member.body()).path("status").asText()).isEqualTo("accepted");

    // Logout revokes both tokens this tab was given.
    String demoScoped = sessionToken();
    assertThat(demoScoped).isNotEqualTo(adminScoped);
    driver.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    assertThat(tokenStatus(adminScoped)).isEqualTo(404);
    assertThat(tokenStatus(demoScoped)).isEqualTo(404);
  }

  private static String sessionToken() {
    return (String) js("return JSON.parse(sessionStorage.getItem('glint.console.session')).token");
  }

  @Test
  void deleteAsksFirstAndThenDeletes() {
    String id = createImage(demoToken, "{\"name\": \"delete-me\"}");
    login("demo", TestServer.DEMO_PASSWORD, "demo");
    openDetailOf("delete-me");
    driver.findElement(By.id("detail-delete")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-no"))).click();
    assertThat(server.get(server.imageUrl() + "/v2/images/" + id, demoToken).statusCode()).isEqualTo(200);

    driver.findElement(By.id("detail-delete")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-yes"))).click();
    wait.until(d -> !(Boolean) js("return document.getElementById('detail-dialog').open"));
    assertThat(server.get(server.imageUrl() + "/v2/images/" + id, demoToken).statusCode()).isEqualTo(404);
    wait.until(d -> !names().contains("delete-me"));

    // The changes view (compute API, changes-since) still reports it, as DELETED.
    driver.findElement(By.id("nav-changes")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes-body"), id));
    WebElement row = driver.findElement(By.cssSelector("#changes-body tr[data-id='" + id + "']"));
    assertThat(row.getText()).contains("DELETED", "delete-me");

    // It refreshes by itself: a delete made elsewhere shows up without a click.
    new Select(driver.findElement(By.id("changes-every"))).selectByVisibleText("5 seconds");
    String other = createImage(demoToken, "{\"name\": \"deleted-elsewhere\"}");
    assertThat(
            server.send(
                    HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + other))
                        .header("X-Auth-Token", demoToken)
                        .DELETE()
                        .build())
                .statusCode())
        .isEqualTo(204);
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("changes-body"), other));
  }

  @Test
  void adminDeactivatesAndReactivatesAndProtectedImagesReportTheFault() {
    String id = createImage(adminToken, "{\"name\": \"lifecycle\", \"protected\": true, \"disk_format\": \"raw\", \"container_format\": \"bare\"}");
    HttpResponse<String> put =
        server.send(
            HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", adminToken)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString("some image bytes"))
                .build());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
    login("admin", TestServer.ADMIN_PASSWORD, "admin");
    openDetailOf("lifecycle");
    driver.findElement(By.id("detail-deactivate")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-reactivate")));
    assertThat(getImage(adminToken, id).path("status").asText()).isEqualTo("deactivated");
    driver.findElement(By.id("detail-reactivate")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-deactivate")));
    assertThat(getImage(adminToken, id).path("status").asText()).isEqualTo("active");

    // Glance refuses to delete a protected image; the console shows Glance's words.
    driver.findElement(By.id("detail-delete")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-yes"))).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
    assertThat(text("notice-text")).contains("is protected and cannot be deleted");
    assertThat(getImage(adminToken, id).path("status").asText()).isEqualTo("active");
  }

  @Test
  void scriptInAnImageNameIsShownAsText() {
    createImage(demoToken, "{\"name\": " + quote(XSS_NAME) + "}");
    login("demo", TestServer.DEMO_PASSWORD, "demo");
    js("window.__alerts = []; window.alert = (m) => window.__alerts.push(String(m));");
    openFilters();
    type("f-name", XSS_NAME);
    applyFilters();
    waitRows(1);
    assertThat(names()).containsExactly(XSS_NAME);
    openDetailOf(XSS_NAME);
    assertThat(text("detail-title")).isEqualTo(XSS_NAME);
    assertThat(driver.findElements(By.cssSelector("main img, dialog img"))).isEmpty();
    assertThat((List<?>) js("return window.__alerts")).isEmpty();
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
  }

  @Test
  void screenshotsForTheReadme() throws IOException {
    String dir = System.getProperty("glint.console.screenshots");
    Assumptions.assumeTrue(dir != null, "set -Dglint.console.screenshots=DIR to write them");
    // The images `serve --demo` loads, so the picture shows what a person sees first.
    server.app().catalog().addAll(
        dev.glint.cli.DemoData.images(adminProject, demoProject, java.time.Instant.now(), 1));
    login("demo", TestServer.DEMO_PASSWORD, "demo");
    openFilters();
    new Select(driver.findElement(By.id("f-limit"))).selectByVisibleText("10");
    applyFilters();
    waitRows(10);
    driver.findElement(By.cssSelector("#filters summary")).click();
    Files.createDirectories(Path.of(dir));
    shoot(Path.of(dir, "console.png"));
    openDetailOf(names().get(0));
    shoot(Path.of(dir, "console-detail.png"));
    closeDialog("detail-dialog");
    driver.manage().window().setSize(new Dimension(390, 844));
    try {
      shoot(Path.of(dir, "console-phone.png"));
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  // ------------------------------------------------------------------ browser helpers

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static void openConsole() {
    driver.get(server.imageUrl() + "/console/");
    js("sessionStorage.clear()");
    driver.get(server.imageUrl() + "/console/");
    wait.until(d -> "true".equals(js("return document.body.dataset.ready")));
  }

  private static void fillLogin(String user, String password, String project) {
    type("login-user", user);
    type("login-password", password);
    type("login-project", project);
    driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
  }

  private static void login(String user, String password, String project) {
    openConsole();
    fillLogin(user, password, project);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("images-view")));
    wait.until(d -> !driver.findElements(By.cssSelector("#images-body tr")).isEmpty());
    waitLoaded();
  }

  private static void type(String id, String value) {
    WebElement el = driver.findElement(By.id(id));
    el.clear();
    el.sendKeys(value);
  }

  private static String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private static void openFilters() {
    WebElement details = driver.findElement(By.id("filters"));
    if (details.getAttribute("open") == null) {
      details.findElement(By.tagName("summary")).click();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> names() {
    return (List<String>)
        js("return [...document.querySelectorAll('#images-body tr[data-id] td.col-name')].map(td => td.textContent)");
  }

  /** Submits the filter form and waits for the table to finish loading. */
  private static void applyFilters() {
    driver.findElement(By.cssSelector("#filter-form button[type=submit]")).click();
    waitLoaded();
  }

  private static void waitLoaded() {
    wait.until(d -> "false".equals(d.findElement(By.id("images-table")).getAttribute("aria-busy")));
  }

  private static void waitRows(int n) {
    wait.until(d -> d.findElements(By.cssSelector("#images-body tr[data-id]")).size() == n);
  }

  private static void waitForRowNamed(String name) {
    wait.until(d -> names().contains(name));
  }

  private static void openDetailOf(String name) {
    if (!names().contains(name)) {
      openFilters();
      type("f-name", name);
      applyFilters();
    }
    waitForRowNamed(name);
    // The table may be re-rendered under us: look the row up again until the click lands.
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              for (WebElement cell :
                  d.findElements(By.cssSelector("#images-body tr[data-id] td.col-name button"))) {
                if (cell.getText().equals(name)) {
                  cell.click();
                  return true;
                }
              }
              return false;
            });
    wait.until(ExpectedConditions.textToBe(By.id("detail-title"), name));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-download")));
  }

  private static void closeDialog(String id) {
    driver.findElement(By.cssSelector("#" + id + " .close")).click();
    wait.until(d -> !(Boolean) js("return document.getElementById('" + id + "').open"));
  }

  private static void shoot(Path target) throws IOException {
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(target, png);
  }

  /** Saves what the browser showed when a test failed. */
  static final class ScreenshotOnFailure implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (driver == null) {
        return;
      }
      try {
        Path dir = Path.of("target", "console-screenshots");
        Files.createDirectories(dir);
        shoot(dir.resolve(context.getDisplayName().replaceAll("[^A-Za-z0-9]+", "_") + ".png"));
      } catch (RuntimeException | IOException e) {
        System.err.println("no screenshot: " + e);
      }
    }
  }

  // ------------------------------------------------------------------ API helpers

  private static String projectOf(String token) {
    HttpResponse<String> r =
        server.get(server.identityUrl() + "/v3/auth/tokens?nocatalog", token, "X-Subject-Token", token);
    return TestServer.json(r.body()).path("token").path("project").path("id").asText();
  }

  private static String idOf(String path, String key) {
    HttpResponse<String> r = server.get(server.identityUrl() + path, adminToken);
    return TestServer.json(r.body()).path(key).get(0).path("id").asText();
  }

  private static int tokenStatus(String token) {
    return server.get(server.identityUrl() + "/v3/auth/tokens", adminToken, "X-Subject-Token", token)
        .statusCode();
  }

  private static String createImage(String token, String json) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestServer.json(r.body()).path("id").asText();
  }

  private static JsonNode getImage(String token, String id) {
    return TestServer.json(server.get(server.imageUrl() + "/v2/images/" + id, token).body());
  }

  private static JsonNode findImage(String token, String name) {
    HttpResponse<String> r =
        server.get(
            server.imageUrl() + "/v2/images?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
            token);
    JsonNode images = TestServer.json(r.body()).path("images");
    assertThat(images.size()).as(r.body()).isEqualTo(1);
    return images.get(0);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

}
