package io.postroom.api.suppressions;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postroom.api.http.KeyRateLimiter;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.TokenKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The suppression routes on a real HTTP server over a real {@link SuppressionStore}, with a log that
 * records what would go to {@code mail.suppressions} (and, if asked, applies it to the store as the
 * view would). API keys are "billing-key" and "alerts-key"; nothing else passes the guard.
 */
final class RoutesFixture {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  static final Map<String, String> KEYS = Map.of("billing-key", "billing", "alerts-key", "alerts");

  final Vertx vertx;
  final SuppressionStore store;
  final List<SuppressionStore.Record> written = Collections.synchronizedList(new ArrayList<>());
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** Whether a write reaches the store at once (the view reading it back); false: never. */
  volatile boolean viewFollows = true;
  volatile boolean kafkaDown;
  private HttpServer server;
  private HttpClient client;

  RoutesFixture(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.store = new SuppressionStore(dir);
  }

  static TokenKeys keys(String id) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return TokenKeys.parse(id + " " + Base64.getEncoder().encodeToString(secret));
  }

  /** Starts the server with these token keys (none: empty) and this many /u/ requests per second per client. */
  Future<Void> start(Optional<TokenKeys> keys, double perClient) {
    SuppressionLog log = new SuppressionLog() {
      @Override
      public Future<Written> put(Suppression suppression) {
        return record(new SuppressionStore.Record(suppression.key(), suppression.toJson().toBuffer().getBytes()));
      }

      @Override
      public Future<Written> lift(String key) {
        return record(new SuppressionStore.Record(key, null));
      }
    };
    Suppressions suppressions = new Suppressions(vertx, store, log, (partition, offset) -> Future.succeededFuture());
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Router router = Router.router(vertx);
    new UnsubscribeRoutes(keys, suppressions, new KeyRateLimiter(perClient, 1000, System::nanoTime), clock, registry)
        .mount(router);
    new SuppressionRoutes(suppressions, clock, registry, 65_536, 1_000_000, 3).mount(router, List.of(ctx -> {
      String header = ctx.request().getHeader("Authorization");
      String tenant = header == null ? null : KEYS.get(header.replace("Bearer ", ""));
      if (tenant == null) {
        ctx.response().setStatusCode(401).end();
        return;
      }
      ctx.put("tenant", tenant);
      ctx.next();
    }), ctx -> ctx.get("tenant"), ctx -> "sha256:12345678");
    client = vertx.createHttpClient();
    return vertx.createHttpServer().requestHandler(router).listen(0).map(s -> {
      server = s;
      return null;
    });
  }

  private Future<SuppressionLog.Written> record(SuppressionStore.Record record) {
    if (kafkaDown) {
      return Future.failedFuture("Kafka is down");
    }
    return vertx.executeBlocking(() -> {
      long offset;
      synchronized (written) {
        written.add(record);
        offset = written.size() - 1;
      }
      if (viewFollows) {
        store.apply(List.of(record));
      }
      return new SuppressionLog.Written(0, offset);
    }, false);
  }

  /** Puts a suppression straight into the store, as if read from the topic. */
  void stored(Suppression suppression) {
    store.apply(List.of(new SuppressionStore.Record(suppression.key(), suppression.toJson().toBuffer().getBytes())));
  }

  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  Future<Answer> send(HttpMethod method, String uri, Map<String, String> headers, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort())
        .setURI(uri);
    headers.forEach(options::addHeader);
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(bytes -> answer(response, bytes)));
  }

  private static Answer answer(HttpClientResponse response, Buffer bytes) {
    Map<String, String> headers = new java.util.HashMap<>();
    response.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
    return new Answer(response.statusCode(), headers, bytes.toString());
  }

  Future<Void> close() {
    return (client == null ? Future.<Void>succeededFuture() : client.close())
        .eventually(() -> server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          store.close();
          return null;
        }));
  }
}
