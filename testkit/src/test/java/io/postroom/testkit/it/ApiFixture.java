package io.postroom.testkit.it;

import io.postroom.api.http.ApiConfig;
import io.postroom.api.http.ApiKeys;
import io.postroom.api.http.ApiServer;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An api on the shared broker for the api's integration tests: two tenants ("billing", sending from
 * example.gov.in, and "alerts", from alerts.example.gov.in) with a key each, and blocking HTTP
 * helpers. Call them from the test thread.
 */
final class ApiFixture implements AutoCloseable {
  static final String BILLING_KEY = ApiKeys.generate();
  static final String ALERTS_KEY = ApiKeys.generate();
  private static final Duration NOTHING_MORE = Duration.ofSeconds(2);

  final KafkaBroker broker = KafkaBroker.shared();
  final Topics topics;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ApiServer api;
  final int port;
  /** The keys of the api's one-click unsubscribe tokens (compliance.tokenKeysFile). */
  final TokenKeys tokenKeys;

  private ApiFixture(Vertx vertx, Path dir, Topics topics, String group, JsonObject apiSection) throws IOException {
    this.topics = topics;
    this.tokenKeys = TokenKeys.parse(Files.readString(tokenKeysFile(dir)));
    JsonObject file = new JsonObject()
        .put("kafka", new JsonObject().put("consumerGroup", group).put("topics", new JsonObject()
            .put("jobs", topics.jobs()).put("status", topics.status())
            .put("templates", topics.templates()).put("bulk", topics.bulk()).put("bulkControl", topics.bulkControl())
            .put("suppressions", topics.suppressions())))
        .put("compliance", new JsonObject().put("tokenKeysFile", tokenKeysFile(dir).toString()))
        .put("api", apiSection.copy().put("stateDir", dir.resolve("api-state").toString()))
        .put("tenants", new JsonObject()
            .put("billing", new JsonObject().put("apiKeys", new JsonArray().add(ApiKeys.hash(BILLING_KEY)))
                .put("senderDomains", new JsonArray().add("example.gov.in")))
            .put("alerts", new JsonObject().put("apiKeys", new JsonArray().add(ApiKeys.hash(ALERTS_KEY)))
                .put("senderDomains", new JsonArray().add("alerts.example.gov.in"))));
    Path config = dir.resolve("postroom.json");
    Files.writeString(config, file.encodePrettily());
    api = new ApiServer(vertx, ApiConfig.load(Map.of("POSTROOM_CONFIG", config.toString(),
        "POSTROOM_KAFKA_BOOTSTRAP", broker.bootstrapServers(), "POSTROOM_API_PORT", "0")));
    port = Pipeline.await(api.start());
  }

  /** A key file of one random key, written once per directory. */
  private static Path tokenKeysFile(Path dir) throws IOException {
    Path file = dir.resolve("token-keys");
    if (!Files.exists(file)) {
      byte[] secret = new byte[32];
      new java.security.SecureRandom().nextBytes(secret);
      Files.writeString(file, "k1 " + java.util.Base64.getEncoder().encodeToString(secret) + "\n");
    }
    return file;
  }

  /** On the given topics (those of a {@link Pipeline}, to have a dispatcher behind it). */
  static ApiFixture start(Vertx vertx, Path dir, Topics topics, JsonObject apiSection) throws IOException {
    return new ApiFixture(vertx, dir, topics, "postroom-dispatcher", apiSection);
  }

  /** In front of the pipeline's dispatcher: its topics, its group's backlog, its metrics for the relay panel. */
  static ApiFixture behind(Vertx vertx, Path dir, Pipeline pipeline) throws IOException {
    return new ApiFixture(vertx, dir, pipeline.topics, pipeline.group, new JsonObject().put("dispatchers",
        new JsonArray().add("http://127.0.0.1:" + pipeline.dispatcher().httpPort())));
  }

  /** On fresh topics, with small limits: 64 KiB bodies, batches of 10. */
  static ApiFixture start(Vertx vertx, Path dir) throws IOException {
    return start(vertx, dir, Topics.unique("api").create(KafkaBroker.shared(), 4),
        new JsonObject().put("maxBodyBytes", 65_536).put("maxBatch", 10));
  }

  static JsonObject billingJob(String id) {
    return SampleJobs.valid(id, "billing", "citizen@example.org");
  }

  static JsonObject alertsJob(String id) {
    return SampleJobs.valid(id, "alerts", "citizen@example.org").put("from", "Alerts <noreply@alerts.example.gov.in>");
  }

  HttpResponse<String> post(String key, String contentType, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/jobs"))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  HttpResponse<String> post(String key, JsonObject body) {
    return post(key, "application/json", body.encode());
  }

  /** Any request; a null key or content type is left out. */
  HttpResponse<String> send(String method, String path, String key, String contentType,
      HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, body);
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  HttpResponse<String> send(String method, String path, String key, JsonObject body) {
    return send(method, path, key, "application/json", HttpRequest.BodyPublishers.ofString(body.encode()));
  }

  HttpResponse<String> get(String key, String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return send(request.build());
  }

  /** The records on the jobs topic, waiting for up to {@code expected} of them (2 s after the last). */
  List<ConsumerRecord<String, byte[]>> jobsOnKafka(int expected) {
    return broker.readAll(topics.jobs(), expected, NOTHING_MORE);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    Pipeline.await(api.close());
  }
}
