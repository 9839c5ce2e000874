package io.postroom.dispatcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postroom.contract.metrics.ProcessMeters;
import io.postroom.dispatcher.config.PostroomConfig;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.kafka.InternalTopics;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.ops.OpsServer;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.TransportSecurity;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dispatcher process: its Vert.x instance, its one metrics registry and ops server, and
 * {@code dispatch.instances} {@link DispatcherVerticle}s, each on an event loop of its own with its
 * own consumer in the group, its part of the relay pools and of the in-flight bound. One event loop
 * carried everything before, and left the second core to the Kafka clients' threads and the JIT.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Vertx vertx;
  private final OpsServer ops;
  private final int httpPort;
  private final String deploymentId;

  private Dispatcher(Vertx vertx, OpsServer ops, int httpPort, String deploymentId) {
    this.vertx = vertx;
    this.ops = ops;
    this.httpPort = httpPort;
    this.deploymentId = deploymentId;
  }

  /** Starts Vert.x with Prometheus metrics, the ops endpoints, then the dispatcher instances. */
  public static Future<Dispatcher> start(PostroomConfig config) {
    PrometheusMeterRegistry registry = ProcessMeters.bind(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    for (RelayConfig relay : config.relays()) {
      if (TransportSecurity.isPlaintext(relay)) {
        LOG.warn("!!! relay {} is configured WITHOUT TLS (POSTROOM_ALLOW_PLAINTEXT=true): credentials and mail"
            + " travel in clear. Never do this outside a development machine. !!!", relay.describe());
      }
    }
    DispatcherMetrics metrics = new DispatcherMetrics(registry, config.relays().stream().map(RelayConfig::name).toList());
    int instances = config.dispatch().instances();
    List<DispatcherVerticle> verticles = new CopyOnWriteArrayList<>();
    OpsServer ops = new OpsServer(vertx, registry, () -> readiness(verticles, instances));
    AtomicInteger next = new AtomicInteger();
    StartLine startLine = new StartLine(instances);
    return ops.start(config.httpPort())
        .compose(port -> {
          LOG.info("health and metrics on http://0.0.0.0:{}/metrics; {} dispatcher instance(s)", port, instances);
          return InternalTopics.ensure(vertx, config.kafka(), DispatcherVerticle.ownTopics(config))
              .compose(v -> vertx.deployVerticle(() -> {
                DispatcherVerticle verticle = new DispatcherVerticle(config.forInstance(next.getAndIncrement()), metrics,
                    startLine);
                verticles.add(verticle);
                return verticle;
              }, new DeploymentOptions().setInstances(instances)))
              .map(id -> new Dispatcher(vertx, ops, port, id));
        })
        .recover(error -> vertx.close().transform(ignored -> Future.failedFuture(error)));
  }

  public int httpPort() {
    return httpPort;
  }

  /** Ready when every instance joined the group and a relay can take mail. */
  private static OpsServer.Readiness readiness(List<DispatcherVerticle> verticles, int instances) {
    boolean joined = verticles.size() == instances && verticles.stream().allMatch(DispatcherVerticle::joined);
    boolean relayUp = verticles.stream().anyMatch(DispatcherVerticle::anyRelayUp);
    JsonArray relayStates = new JsonArray();
    if (!verticles.isEmpty()) {
      int relayCount = verticles.get(0).relays().size();
      for (int i = 0; i < relayCount; i++) {
        relayStates.add(relayState(worstOff(verticles, i)));
      }
    }
    return new OpsServer.Readiness(joined && relayUp, new JsonObject()
        .put("kafkaGroupJoined", joined)
        .put("instances", instances)
        .put("jobsInFlight", verticles.stream().mapToInt(DispatcherVerticle::inFlight).sum())
        .put("relays", relayStates));
  }

  /** The instances' view of the i-th relay that is worst off: what an operator must hear of. */
  private static Relay worstOff(List<DispatcherVerticle> verticles, int i) {
    Relay worst = null;
    for (DispatcherVerticle verticle : verticles) {
      List<Relay> relays = verticle.relays();
      if (relays.size() > i && (worst == null
          || relays.get(i).health().state().severity() > worst.health().state().severity())) {
        worst = relays.get(i);
      }
    }
    return worst;
  }

  private static JsonObject relayState(Relay relay) {
    JsonObject state = new JsonObject().put("name", relay.name()).put("state", relay.health().state().name());
    if (relay.health().lastFailure() != null && !relay.health().isUp()) {
      state.put("lastFailure", relay.health().lastFailure().reason());
    }
    if (relay.health().lastOpening() != null) {
      state.put("circuitOpenings", relay.health().openings())
          .put("lastOpening", relay.health().lastOpening().reason());
    }
    return state;
  }

  /**
   * Graceful stop: every instance drains, commits and closes; then the ops server and Vert.x
   * itself. Vert.x is closed from a thread of its own: a close started on one of its event loops
   * cannot report back on that loop, which is gone.
   */
  public Future<Void> stop() {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    vertx.undeploy(deploymentId).eventually(ops::close).onComplete(undeployed -> new Thread(() -> vertx.close()
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
