package io.postroom.loadtest.demo;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The demo's calls to its own api, with the key made for the run; blocking, from the demo's main thread. */
final class DemoApi {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String key;

  DemoApi(int port, String key) {
    this.port = port;
    this.key = key;
  }

  /** POSTs {@code body} and answers the response's JSON; an answer other than {@code expectedStatus} is an error naming it. */
  JsonObject post(String path, JsonObject body, int expectedStatus) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), expectedStatus);
  }

  JsonObject get(String path) {
    return send(request(path).GET().build(), 200);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key);
  }

  private JsonObject send(HttpRequest request, int expectedStatus) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expectedStatus) {
        throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
            + response.statusCode() + ", not " + expectedStatus + ": " + response.body());
      }
      return new JsonObject(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri().getPath() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri().getPath(), e);
    }
  }
}
