package io.postroom.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DispatcherMetricsProbeTest {
  /** What a dispatcher that signs for two domains of billing and sends pensions' mail unsigned exports. */
  private static final String DISPATCHER_A = """
      # HELP postroom_dkim_signed_total Messages sent with a DKIM signature
      # TYPE postroom_dkim_signed_total counter
      postroom_dkim_signed_total{domain="example.gov.in",tenant="billing"} 120.0
      postroom_dkim_signed_total{domain="tax.example.gov.in",tenant="billing"} 30.0
      postroom_dkim_unsigned_total{domain="pensions.example.org",tenant="pensions"} 7.0
      postroom_dkim_failures_total{domain="example.gov.in",tenant="billing"} 2.0
      postroom_relay_circuit_state{relay="primary"} 0.0
      """;
  private static final String DISPATCHER_B = """
      postroom_dkim_signed_total{domain="example.gov.in",tenant="billing"} 50.0
      postroom_dkim_failures_total{domain="example.gov.in",tenant="billing"} 1.0
      """;

  @Test
  void aDispatchersDkimCountersAreAddedUpPerTenantOverItsDomains() {
    JsonObject dkim = DispatcherMetricsProbe.parse(DISPATCHER_A).getJsonObject("dkim");

    assertThat(dkim.getJsonObject("billing")).isEqualTo(new JsonObject().put("signed", 150L).put("unsigned", 0L)
        .put("failures", 2L));
    assertThat(dkim.getJsonObject("pensions")).isEqualTo(new JsonObject().put("signed", 0L).put("unsigned", 7L)
        .put("failures", 0L));
  }

  @Test
  void theDkimCountsOfEveryDispatcherAreAddedUp(Vertx vertx, VertxTestContext test) {
    Future<HttpServer> a = serve(vertx, DISPATCHER_A);
    Future<HttpServer> b = serve(vertx, DISPATCHER_B);
    Future.all(a, b)
        .compose(ignored -> new DispatcherMetricsProbe(vertx, List.of(url(a.result()), url(b.result()))).probe())
        .onComplete(test.succeeding(seen -> test.verify(() -> {
          assertThat(seen.getJsonObject("dkim").getJsonObject("billing")).isEqualTo(new JsonObject()
              .put("signed", 200L).put("unsigned", 0L).put("failures", 3L));
          assertThat(seen.getJsonObject("dkim").getJsonObject("pensions").getLong("unsigned")).isEqualTo(7L);
          test.completeNow();
        })));
  }

  @Test
  void aDispatcherThatDoesNotAnswerAddsNothing(Vertx vertx, VertxTestContext test) {
    serve(vertx, DISPATCHER_B)
        .compose(server -> new DispatcherMetricsProbe(vertx, List.of(url(server), "http://127.0.0.1:1")).probe())
        .onComplete(test.succeeding(seen -> test.verify(() -> {
          assertThat(seen.getJsonObject("dkim").getJsonObject("billing").getLong("failures")).isEqualTo(1L);
          assertThat(seen.getJsonArray("dispatchers").getJsonObject(1).getBoolean("reachable")).isFalse();
          test.completeNow();
        })));
  }

  private static Future<HttpServer> serve(Vertx vertx, String metrics) {
    return vertx.createHttpServer().requestHandler(request -> request.response().end(metrics)).listen(0, "127.0.0.1");
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.actualPort();
  }
}
