package io.postroom.dispatcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postroom.api.metrics.ProcessMeters;
import io.postroom.dispatcher.config.PostroomConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.concurrent.CompletableFuture;

/** A running dispatcher process: its Vert.x instance, metrics registry and verticle. */
public final class Dispatcher {
  private final Vertx vertx;
  private final DispatcherVerticle verticle;
  private final String deploymentId;

  private Dispatcher(Vertx vertx, DispatcherVerticle verticle, String deploymentId) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
  }

  /** Starts Vert.x with Prometheus metrics and deploys the dispatcher on it. */
  public static Future<Dispatcher> start(PostroomConfig config) {
    PrometheusMeterRegistry registry = ProcessMeters.bind(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    DispatcherVerticle verticle = new DispatcherVerticle(config, registry);
    return vertx.deployVerticle(verticle)
        .map(id -> new Dispatcher(vertx, verticle, id))
        .recover(error -> vertx.close().transform(ignored -> Future.failedFuture(error)));
  }

  public int httpPort() {
    return verticle.httpPort();
  }

  /**
   * Graceful stop: drain, commit, close; then Vert.x itself. Vert.x is closed from a thread of its
   * own: a close started on one of its event loops cannot report back on that loop, which is gone.
   */
  public Future<Void> stop() {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    vertx.undeploy(deploymentId).onComplete(undeployed -> new Thread(() -> vertx.close()
        .toCompletionStage()
        .whenComplete((v, closeError) -> {
          Throwable error = undeployed.failed() ? undeployed.cause() : closeError;
          if (error == null) {
            stopped.complete(null);
          } else {
            stopped.completeExceptionally(error);
          }
        }), "postroom-vertx-close").start());
    return Future.fromCompletionStage(stopped);
  }
}
