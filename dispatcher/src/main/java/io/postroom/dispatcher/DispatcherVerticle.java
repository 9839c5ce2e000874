package io.postroom.dispatcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postroom.api.JobValidator;
import io.postroom.dispatcher.config.DispatchConfig;
import io.postroom.dispatcher.config.PostroomConfig;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.dedupe.ReportedRecords;
import io.postroom.dispatcher.dedupe.SentJobs;
import io.postroom.dispatcher.dedupe.StatusTail;
import io.postroom.dispatcher.kafka.InternalTopics;
import io.postroom.dispatcher.kafka.JobMover;
import io.postroom.dispatcher.kafka.OutcomePublisher;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import io.postroom.dispatcher.lanes.LaneTopics;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.ops.OpsServer;
import io.postroom.dispatcher.ratelimit.RateLimits;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.RelayHealth;
import io.postroom.dispatcher.relay.RelayRouter;
import io.postroom.dispatcher.relay.TransportSecurity;
import io.postroom.dispatcher.retry.Backoff;
import io.postroom.dispatcher.retry.RetryPolicy;
import io.postroom.dispatcher.retry.RetryTiers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One dispatcher: wires relays, the job pipeline, the Kafka consumer and the ops endpoints. */
public final class DispatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);

  private final PostroomConfig config;
  private final PrometheusMeterRegistry registry;
  private final List<Relay> relays = new ArrayList<>();
  private RelayRouter router;
  private OutcomePublisher publisher;
  private StatusTail statusTail;
  private JobConsumer consumer;
  private OpsServer ops;
  private int httpPort;

  public DispatcherVerticle(PostroomConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    DispatchConfig dispatch = config.dispatch();
    DispatcherMetrics metrics = new DispatcherMetrics(registry);
    Backoff relayBackoff = new Backoff(dispatch.relayBackoffInitial(), dispatch.relayBackoffMax(), 2.0);
    for (RelayConfig relay : config.relays()) {
      if (TransportSecurity.isPlaintext(relay)) {
        LOG.warn("!!! relay {} is configured WITHOUT TLS (POSTROOM_ALLOW_PLAINTEXT=true): credentials and mail"
            + " travel in clear. Never do this outside a development machine. !!!", relay.describe());
      }
      // the router does not exist yet when the health objects are made; they reach it through this
      RelayHealth health = new RelayHealth(vertx, relay.name(), relayBackoff, () -> router.relayStateChanged());
      relays.add(new Relay(vertx, relay, health));
    }
    router = new RelayRouter(relays, tenant -> config.tenant(tenant).weight());
    metrics.relays(relays);
    publisher = new OutcomePublisher(vertx, config.kafka());
    RetryPolicy retryPolicy = new RetryPolicy(dispatch.maxAttempts(),
        new Backoff(dispatch.retryInitial(), dispatch.retryMax(), 2.0));
    RateLimits rateLimits = new RateLimits(vertx, config.relays(), config::tenant);
    metrics.rates(relays, rateLimits);
    Delivery delivery = new Delivery(router, rateLimits, retryPolicy, metrics, Clock.systemUTC());
    RetryTiers tiers = new RetryTiers(config.kafka().retryTopicPrefix(), dispatch.retryTiers());
    LaneTopics laneTopics = new LaneTopics(config.kafka().laneTopicPrefix(), dispatch.laneShards());
    LaneOccupancy lanes = new LaneOccupancy(dispatch.laneCapacity());
    JobMover mover = new JobMover(publisher, tiers, laneTopics, Clock.systemUTC());
    SentJobs sent = new SentJobs(dispatch.dedupeCapacity());
    ReportedRecords reported = new ReportedRecords(dispatch.dedupeCapacity());
    statusTail = new StatusTail(vertx, config.kafka(), sent, reported, dispatch.dedupeCapacity());
    JobProcessor processor = new JobProcessor(new JobValidator(config.maxMessageBytes()), delivery, publisher, mover,
        lanes, sent, reported, metrics, Clock.systemUTC());
    consumer = new JobConsumer(vertx, config.kafka(), dispatch, processor, router, metrics, rateLimits::rebalanced,
        tiers, laneTopics, lanes, Clock.systemUTC());
    List<String> ownTopics = new ArrayList<>(tiers.topics());
    ownTopics.addAll(laneTopics.topics());
    ops = new OpsServer(vertx, registry, this::readiness);
    return ops.start(config.httpPort())
        .onSuccess(port -> {
          httpPort = port;
          LOG.info("health and metrics on http://0.0.0.0:{}/metrics", port);
        })
        .compose(port -> InternalTopics.ensure(vertx, config.kafka(), ownTopics))
        .compose(v -> statusTail.start())
        .compose(v -> consumer.start());
  }

  /** The port the health and metrics endpoints listen on (useful when configured as 0). */
  public int httpPort() {
    return httpPort;
  }

  private OpsServer.Readiness readiness() {
    JsonArray relayStates = new JsonArray();
    for (Relay relay : relays) {
      JsonObject state = new JsonObject().put("name", relay.name()).put("state", relay.health().state().name());
      if (relay.health().lastFailure() != null && !relay.health().isUp()) {
        state.put("lastFailure", relay.health().lastFailure().reason());
      }
      if (relay.health().lastOpening() != null) {
        state.put("circuitOpenings", relay.health().openings())
            .put("lastOpening", relay.health().lastOpening().reason());
      }
      relayStates.add(state);
    }
    boolean ready = consumer.joined() && router.anyUp();
    return new OpsServer.Readiness(ready, new JsonObject()
        .put("kafkaGroupJoined", consumer.joined())
        .put("jobsInFlight", consumer.inFlight())
        .put("relays", relayStates));
  }

  @Override
  public Future<?> stop() {
    LOG.info("stopping: no new jobs; letting {} in-flight job(s) finish within {}", consumer.inFlight(),
        config.dispatch().shutdownDeadline());
    return consumer.stop()
        .eventually(() -> statusTail.close())
        .eventually(() -> publisher.close())
        .eventually(() -> Future.join(relays.stream().map(Relay::close).toList()))
        .eventually(() -> ops.close())
        .onComplete(ar -> LOG.info("stopped"));
  }
}
