package io.postroom.contract.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.Supplier;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics} of one process: a dispatcher, the bounce reader. */
public final class OpsServer {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Readiness> readiness;
  private final Supplier<Readiness> liveness;
  private HttpServer server;

  /** Why the process is or is not ready, in words an operator can act on. */
  public record Readiness(boolean ready, JsonObject details) {
  }

  /**
   * @param readiness whether the process can do its work now (Kafka, the group, a relay)
   * @param liveness whether it is still alive: false only once it is ending for a reason it cannot recover from
   */
  public OpsServer(Vertx vertx, PrometheusMeterRegistry registry, Supplier<Readiness> readiness,
      Supplier<Readiness> liveness) {
    this.vertx = vertx;
    this.registry = registry;
    this.readiness = readiness;
    this.liveness = liveness;
  }

  public Future<Integer> start(int port) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> answer(ctx, liveness.get()));
    router.get("/health/ready").handler(ctx -> answer(ctx, readiness.get()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx.createHttpServer().requestHandler(router).listen(port)
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  private static void answer(RoutingContext ctx, Readiness r) {
    ctx.response().setStatusCode(r.ready() ? 200 : 503);
    ctx.json(r.details().copy().put("status", r.ready() ? "UP" : "DOWN"));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
