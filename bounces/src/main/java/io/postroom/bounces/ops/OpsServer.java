package io.postroom.bounces.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.Supplier;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics} of the bounce reader, as the dispatcher's. */
public final class OpsServer {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Health> readiness;
  private final Supplier<Health> liveness;
  private HttpServer server;

  /** Up or not, and why, in words an operator can act on. */
  public record Health(boolean up, JsonObject details) {
  }

  public OpsServer(Vertx vertx, PrometheusMeterRegistry registry, Supplier<Health> readiness,
      Supplier<Health> liveness) {
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

  private static void answer(RoutingContext ctx, Health health) {
    ctx.response().setStatusCode(health.up() ? 200 : 503);
    ctx.json(health.details().copy().put("status", health.up() ? "UP" : "DOWN"));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
