package io.postroom.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Debian's Chromium, headless, driven through chromedriver's W3C WebDriver protocol over plain HTTP
 * (no Selenium): open a page, run a script in it, click an element, take a screenshot. Started with the flags this
 * closed network needs (no background networking, no sync, no component updates) and a fresh
 * profile. Blocking; for tests.
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final Process driver;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String session;

  /** Whether Chromium and chromedriver are installed (.ci/run installs them). */
  public static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  public static HeadlessChromium start(Path profileDir) {
    return new HeadlessChromium(profileDir);
  }

  private HeadlessChromium(Path profileDir) {
    int port = FreePort.any();
    try {
      driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
          .redirectErrorStream(true).redirectOutput(profileDir.resolveSibling("chromedriver.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start chromedriver", e);
    }
    base = "http://127.0.0.1:" + port;
    waitForDriver();
    JsonObject options = new JsonObject().put("binary", CHROMIUM.toString()).put("args", new JsonArray()
        .add("--headless").add("--no-sandbox").add("--disable-gpu").add("--disable-quic").add("--no-first-run")
        .add("--disable-background-networking").add("--disable-component-update").add("--disable-sync")
        .add("--disable-dev-shm-usage").add("--window-size=1400,1000").add("--user-data-dir=" + profileDir));
    JsonObject created = call("POST", "/session", new JsonObject().put("capabilities", new JsonObject()
        .put("alwaysMatch", new JsonObject().put("browserName", "chrome").put("goog:chromeOptions", options))));
    session = created.getJsonObject("value").getString("sessionId");
  }

  public void open(String url) {
    call("POST", "/session/" + session + "/url", new JsonObject().put("url", url));
  }

  /** Runs {@code script} (a function body) in the page and returns what it returns. */
  public Object evaluate(String script) {
    return call("POST", "/session/" + session + "/execute/sync",
        new JsonObject().put("script", script).put("args", new JsonArray())).getValue("value");
  }

  /** Clicks the element the CSS selector finds first, as a user would (WebDriver's element click). */
  public void click(String cssSelector) {
    JsonObject found = call("POST", "/session/" + session + "/element",
        new JsonObject().put("using", "css selector").put("value", cssSelector)).getJsonObject("value");
    String element = found.getString("element-6066-11e4-a52e-4f735466cecf");
    call("POST", "/session/" + session + "/element/" + element + "/click", new JsonObject());
  }

  /** A PNG of the window, written to {@code file}. */
  public Path screenshot(Path file) {
    String png = call("GET", "/session/" + session + "/screenshot", null).getString("value");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, Base64.getDecoder().decode(png));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonObject call(String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("chromedriver " + method + " " + path + ": " + response.statusCode() + " "
            + response.body());
      }
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void waitForDriver() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (status.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("chromedriver did not answer on " + base + " within 20 s");
  }


  @Override
  public void close() {
    try {
      call("DELETE", "/session/" + session, null);
    } catch (RuntimeException e) {
      // the browser is gone already
    } finally {
      driver.destroy();
    }
  }
}
