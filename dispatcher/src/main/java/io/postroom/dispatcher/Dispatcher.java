package io.postroom.dispatcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postroom.contract.metrics.ProcessMeters;
import io.postroom.dispatcher.bulk.SharedViews;
import io.postroom.dispatcher.config.PostroomConfig;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.process.StartFailure;
import io.postroom.dispatcher.dkim.Signing;
import io.postroom.dispatcher.kafka.InternalTopics;
import io.postroom.dispatcher.kafka.KafkaWatch;
import io.postroom.dispatcher.ops.Lifeline;
import io.postroom.dispatcher.ops.LoopWatch;
import io.postroom.dispatcher.relay.RelayAddresses;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.contract.ops.OpsServer;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
  private static final Duration RELAY_LOOKUP_INTERVAL = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final PostroomConfig config;
  private final OpsServer ops;
  private final DispatcherMetrics metrics;
  private final Lifeline lifeline = new Lifeline();
  private final List<DispatcherVerticle> verticles = new CopyOnWriteArrayList<>();
  private final RelayAddresses relayAddresses;
  private final LoopWatch loopWatch;
  /** The registered templates and what each bulk send was asked to be: read once per process, shared by the instances. */
  private final SharedViews views;
  /** The tenants' DKIM keys, read before Vert.x works and rescanned on a worker. */
  private final Signing signing;
  /** Completes once the views hold what their topics held at the start. */
  private volatile CompletableFuture<Void> viewsRead;
  private volatile KafkaWatch kafkaWatch;
  private volatile int httpPort = -1;
  private volatile String deploymentId;
  /** What the start is doing, for the message of a start that takes too long. */
  private volatile String startStep = "not started";
  private volatile boolean stopping;

  private Dispatcher(PostroomConfig config) {
    this.config = config;
    this.views = new SharedViews(config.kafka(), config.stateDir());
    PrometheusMeterRegistry registry = ProcessMeters.bind(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    this.signing = Signing.load(config.tenants(), config.dkimRescanInterval(), registry);
    this.vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    this.metrics = new DispatcherMetrics(registry, config.relays().stream().map(RelayConfig::name).toList());
    this.ops = new OpsServer(vertx, registry, this::readiness, this::liveness);
    this.relayAddresses = new RelayAddresses(vertx, config.relays());
    this.loopWatch = new LoopWatch(config.faults().blockedLoopLimit(), lifeline);
  }

  /**
   * A dispatcher not started yet: Vert.x, the metrics registry and the ops server exist, nothing
   * listens or connects. {@link #stop()} may be called at any time from here on.
   */
  public static Dispatcher create(PostroomConfig config) {
    return new Dispatcher(config);
  }

  /**
   * Starts a dispatcher; on failure, what was started is closed again and the future fails with a
   * {@link StartFailure} saying why.
   */
  public static Future<Dispatcher> start(PostroomConfig config) {
    Dispatcher dispatcher;
    try {
      dispatcher = create(config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    // completed off Vert.x: a future of one of its contexts cannot report back once the stop closed it
    CompletableFuture<Dispatcher> started = new CompletableFuture<>();
    dispatcher.start().onComplete(
        ok -> started.complete(dispatcher),
        error -> dispatcher.stop().onComplete(ignored -> started.completeExceptionally(error)));
    return Future.fromCompletionStage(started);
  }

  /**
   * The ops endpoints, then Kafka (answers within {@code kafka.startTimeout}; the topics exist, ours
   * are created), then the dispatcher instances. Each failure is a {@link StartFailure} whose
   * sentence names the cause and what to do.
   */
  public Future<Void> start() {
    if (config.compliance().tokenKeys() == null) {
      LOG.warn("no token keys (POSTROOM_TOKEN_KEYS_FILE, compliance.tokenKeysFile): bulk mail goes out without a"
          + " one-click unsubscribe link and without a VERP envelope sender, so bounces cannot be traced to jobs");
    }
    for (RelayConfig relay : config.relays()) {
      if (TransportSecurity.isPlaintext(relay)) {
        LOG.warn("!!! relay {} is configured WITHOUT TLS (POSTROOM_ALLOW_PLAINTEXT=true): credentials and mail"
            + " travel in clear. Never do this outside a development machine. !!!", relay.describe());
      }
    }
    int instances = config.dispatch().instances();
    AtomicInteger next = new AtomicInteger();
    StartLine startLine = new StartLine(instances);
    startStep = "opening the health and metrics port";
    return ops.start(config.httpPort())
        .recover(error -> Future.failedFuture(new StartFailure("cannot listen on port " + config.httpPort()
            + " for health and metrics (" + StartFailure.sentence(error) + "); stop what holds it, or set"
            + " POSTROOM_HTTP_PORT (http.port) to a free port")))
        .compose(port -> {
          httpPort = port;
          LOG.info("health and metrics on http://0.0.0.0:{}/metrics; {} dispatcher instance(s)", port, instances);
          LOG.info("waiting for Kafka at {} (at most {} s)", config.kafka().bootstrapServers(),
              config.faults().kafkaStartTimeout().toSeconds());
          startStep = "checking Kafka at " + config.kafka().bootstrapServers() + " and its topics";
          return vertx.executeBlocking(() -> {
            try (KafkaStartCheck kafka = KafkaStartCheck.reach(config.kafka().clientProperties("start-check"),
                "POSTROOM_KAFKA_BOOTSTRAP (kafka.bootstrap)", config.faults().kafkaStartTimeout())) {
              InternalTopics.ensure(kafka, config.kafka(), DispatcherVerticle.ownTopics(config));
              SharedViews.createTopics(kafka, config.kafka());
            }
            // made here, off the event loop (a Kafka client resolves its bootstrap addresses as it is
            // made); read while the relays are looked up, waited for before the instances start
            viewsRead = views.start();
            // made here: a Kafka client resolves its bootstrap addresses as it is made, which blocks
            kafkaWatch = new KafkaWatch(config.kafka(), config.faults(), lifeline);
            if (stopping) {
              kafkaWatch.close();
            }
            return null;
          }, false);
        })
        .compose(v -> relayAddresses.start(RELAY_LOOKUP_INTERVAL))
        .compose(v -> readViews())
        .compose(v -> readSuppressions())
        .compose(v -> {
          startStep = "starting the dispatcher instances (producers, reading " + config.kafka().statusTopic()
              + ", joining group " + config.kafka().consumerGroup() + ")";
          return vertx.deployVerticle(() -> {
            DispatcherVerticle verticle = new DispatcherVerticle(config.forInstance(next.getAndIncrement()), metrics,
                startLine, lifeline, loopWatch, views, signing);
            verticles.add(verticle);
            return verticle;
          }, new DeploymentOptions().setInstances(instances));
        })
        .map(id -> {
          deploymentId = id;
          startStep = "started";
          signing.start(vertx);
          kafkaWatch.start();
          return null;
        });
  }

  /**
   * Reads the templates and bulk control topics up to their end before any job is taken, so that a
   * dispatcher started after a send was cancelled does not send it; bounded by the Kafka start timeout.
   */
  private Future<Void> readViews() {
    startStep = "reading " + config.kafka().templatesTopic() + " and " + config.kafka().bulkControlTopic();
    Duration limit = config.faults().kafkaStartTimeout();
    return Future.fromCompletionStage(viewsRead.orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS),
            vertx.getOrCreateContext())
        .recover(error -> Future.failedFuture(new StartFailure("cannot read " + config.kafka().templatesTopic()
            + " and " + config.kafka().bulkControlTopic() + " within " + limit.toSeconds() + " s ("
            + StartFailure.sentence(error) + "); check that the dispatcher's Kafka user may read them")));
  }

  /**
   * Reads the suppression lists up to their end before any job is taken, so that no mail goes to an
   * address suppressed before the start. A list of millions takes longer than the Kafka start
   * timeout: the wait goes on as long as each such interval applies more records.
   */
  private Future<Void> readSuppressions() {
    startStep = "reading " + config.kafka().suppressionsTopic();
    Duration interval = config.faults().kafkaStartTimeout();
    io.vertx.core.Promise<Void> read = io.vertx.core.Promise.promise();
    views.suppressionsRead().whenComplete((ok, error) -> {
      if (error != null) {
        read.tryFail(error);
      } else {
        read.tryComplete();
      }
    });
    long[] seen = {-1};
    long timer = vertx.setPeriodic(interval.toMillis(), id -> {
      long applied = views.suppressionsApplied();
      if (applied == seen[0]) {
        read.tryFail(new java.util.concurrent.TimeoutException("no record read for " + interval.toSeconds() + " s"));
      }
      seen[0] = applied;
    });
    return read.future().onComplete(ignored -> vertx.cancelTimer(timer))
        .onSuccess(v -> LOG.info("{} read: {} record(s)", config.kafka().suppressionsTopic(), views.suppressionsApplied()))
        .recover(error -> Future.failedFuture(new StartFailure("cannot read " + config.kafka().suppressionsTopic()
            + " (" + StartFailure.sentence(error) + "); check that the dispatcher's Kafka user may read it and that "
            + config.stateDir() + " is writable (POSTROOM_STATE_DIR, dispatch.stateDir)")));
  }

  /** Stops reading the shared topics; blocks until the reading thread ended. */
  private void closeViews() {
    try {
      views.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the start is doing now (for a start that takes too long). */
  public String startStep() {
    return startStep;
  }

  /** Completes with the reason once something that cannot recover ends the running dispatcher. */
  public CompletionStage<String> fatal() {
    return lifeline.reason();
  }

  /** Whether Kafka answers, and if not, for how long it has not: for the reason of a stop. */
  public String kafkaState() {
    KafkaWatch watch = kafkaWatch;
    if (watch == null || watch.reachable()) {
      return null;
    }
    return "Kafka at " + config.kafka().bootstrapServers() + " has not answered for "
        + watch.unreachableFor().toSeconds() + " s (" + watch.lastError() + ")";
  }

  public int httpPort() {
    return httpPort;
  }

  /**
   * Ready when every instance joined the group, Kafka answers, and a relay whose host resolves can
   * take mail.
   */
  private OpsServer.Readiness readiness() {
    int instances = config.dispatch().instances();
    boolean joined = verticles.size() == instances && verticles.stream().allMatch(DispatcherVerticle::joined);
    KafkaWatch watch = kafkaWatch;
    boolean kafkaUp = watch != null && watch.reachable();
    boolean relayUp = false;
    JsonArray relayStates = new JsonArray();
    if (!verticles.isEmpty()) {
      int relayCount = verticles.get(0).relays().size();
      for (int i = 0; i < relayCount; i++) {
        Relay relay = worstOff(verticles, i);
        int index = i;
        boolean resolves = relayAddresses.resolves(relay.name());
        relayUp |= resolves && verticles.stream().anyMatch(v -> v.relays().size() > index
            && v.relays().get(index).health().isUp());
        JsonObject state = relayState(relay);
        if (!resolves) {
          state.put("state", "UNRESOLVED").put("lastFailure", relayAddresses.problem(relay.name()));
        }
        relayStates.add(state);
      }
    }
    JsonObject kafka = new JsonObject().put("reachable", kafkaUp);
    if (watch != null && !watch.reachable()) {
      kafka.put("unreachableForSeconds", watch.unreachableFor().toSeconds()).put("lastError", watch.lastError());
    }
    return new OpsServer.Readiness(joined && kafkaUp && relayUp, new JsonObject()
        .put("kafkaGroupJoined", joined)
        .put("kafka", kafka)
        .put("instances", instances)
        .put("jobsInFlight", verticles.stream().mapToInt(DispatcherVerticle::inFlight).sum())
        .put("relays", relayStates)
        .put("step", startStep));
  }

  /** Live until something that cannot recover ended it (the process then exits with the reason). */
  private OpsServer.Readiness liveness() {
    if (lifeline.ended()) {
      return new OpsServer.Readiness(false, new JsonObject()
          .put("reason", lifeline.reason().toCompletableFuture().getNow("")));
    }
    return new OpsServer.Readiness(true, new JsonObject());
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
   * Graceful stop, at any time after {@link #create}: every instance drains, commits and closes;
   * then the ops server and Vert.x itself. Vert.x is closed from a thread of its own: a close
   * started on one of its event loops cannot report back on that loop, which is gone; and the
   * returned future belongs to no event loop, so whoever waits for it hears of it.
   */
  public Future<Void> stop() {
    stopping = true;
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    KafkaWatch watch = kafkaWatch;
    if (watch != null) {
      watch.close();
    }
    loopWatch.close();
    signing.stop();
    relayAddresses.close();
    Future<Void> undeploy = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    undeploy.eventually(ops::close).onComplete(undeployed -> new Thread(() -> {
      closeViews();
      vertx.close().toCompletionStage().whenComplete((v, closeError) -> {
        Throwable error = undeployed.failed() ? undeployed.cause() : closeError;
        if (error == null) {
          stopped.complete(null);
        } else {
          stopped.completeExceptionally(error);
        }
      });
    }, "postroom-vertx-close").start());
    return Future.fromCompletionStage(stopped);
  }
}
