package io.postroom.bounces;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postroom.bounces.config.BouncesConfig;
import io.postroom.bounces.imap.Mailbox;
import io.postroom.bounces.kafka.FollowUpPublisher;
import io.postroom.bounces.kafka.SentIndexFollower;
import io.postroom.contract.ops.OpsServer;
import io.postroom.bounces.state.ReaderState;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.metrics.ProcessMeters;
import io.postroom.contract.process.StartFailure;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounce reader as a process: its state on disk, the sent index following {@code mail.status},
 * the ops server, and the poll of the mailbox every {@code bounces.pollInterval} on a thread of its
 * own (IMAP and RocksDB block; the event loop only serves the ops routes). The mailbox is first read
 * once the sent index has caught up, so that no report of a mail sent before the start is taken for
 * an unknown one.
 */
public final class BounceService {
  private static final Logger LOG = LoggerFactory.getLogger(BounceService.class);
  /** How long the sent index may take to read mail.status from its beginning. */
  static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(30);
  /** Processed report ids are needed only until their report has moved; kept a week to be safe. */
  private static final Duration PROCESSED_MEMORY = Duration.ofDays(7);

  private final BouncesConfig config;
  private final Clock clock;
  private final PrometheusMeterRegistry registry = ProcessMeters.bind(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  private final ScheduledExecutorService pollThread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "postroom-bounce-reader");
    t.setDaemon(true);
    return t;
  });
  private final BounceMetrics metrics = new BounceMetrics(registry);
  private final CompletableFuture<String> fatal = new CompletableFuture<>();
  private final AtomicReference<String> lastPoll = new AtomicReference<>("not polled yet");
  private volatile boolean lastPollOk;
  private Vertx vertx;
  private OpsServer ops;
  private ReaderState state;
  private SentIndexFollower follower;
  private FollowUpPublisher publisher;
  private Mailbox mailbox;
  private volatile int httpPort;

  public BounceService(BouncesConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Completes when Kafka answered, the state is open and the ops server listens; the sent index then catches up. */
  public CompletableFuture<Void> start() {
    return CompletableFuture.runAsync(() -> {
      try (KafkaStartCheck check = KafkaStartCheck.reach(config.kafka().clientProperties("start-check"),
          "POSTROOM_KAFKA_BOOTSTRAP (kafka.bootstrap)", config.kafka().startTimeout())) {
        check.requireTopics(List.of(config.kafka().statusTopic(), config.kafka().suppressionsTopic()),
            "kafka.topics (status, suppressions)");
      }
      try {
        state = ReaderState.open(config.stateDir());
      } catch (IllegalStateException e) {
        throw new StartFailure(e.getMessage() + "; make " + config.stateDir() + " a writable directory "
            + "(bounces.stateDir, POSTROOM_BOUNCES_STATE_DIR)");
      }
      int forgotten = state.forgetProcessedBefore(clock.instant().minus(PROCESSED_MEMORY));
      LOG.debug("forgot {} processed report ids older than {}", forgotten, PROCESSED_MEMORY);
      publisher = FollowUpPublisher.create(config.kafka());
      mailbox = new Mailbox(config.imap(), config.processedFolder(), config.asideFolder());
    }, pollThread).thenCompose(v -> {
      vertx = Vertx.vertx();
      ops = new OpsServer(vertx, registry, this::readiness, this::liveness);
      return ops.start(config.httpPort()).toCompletionStage().toCompletableFuture();
    }).thenAccept(port -> {
      httpPort = port;
      LOG.info("bounce reader: health and metrics on port {}; reading {}:{} {} as {} once the sent index has caught up",
          port, config.imap().host(), config.imap().port(), config.imap().folder(), config.imap().username());
      follower = new SentIndexFollower(config.kafka(), state);
      follower.start(CATCH_UP_LIMIT).whenComplete((v, e) -> {
        if (e != null) {
          fatal.complete(e.getMessage());
          return;
        }
        follower.following().whenComplete((w, f) -> {
          if (f != null) {
            fatal.complete("the sent index stopped following mail.status: " + f.getMessage());
          }
        });
        startPolling();
      });
    });
  }

  private void startPolling() {
    ReportTriage triage = new ReportTriage(config.tokenKeys(), state::sent, state::softBounces, config.unknownGrace(),
        config.softBounceLimit(), config.softBounceWindow());
    BounceReader reader = new BounceReader(mailbox, triage, publisher, state, metrics, clock);
    pollThread.scheduleWithFixedDelay(() -> poll(reader), 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll(BounceReader reader) {
    try {
      BounceReader.Poll poll = reader.poll();
      if (poll.published() + poll.aside() > 0) {
        LOG.info("bounce mailbox: {} processed, {} moved aside, {} left for later", poll.published(), poll.aside(),
            poll.later());
      }
      lastPollOk = true;
      lastPoll.set(Instant.now(clock) + ": " + poll.published() + " processed, " + poll.aside() + " aside, "
          + poll.later() + " later");
    } catch (FollowUpPublisher.PublishException e) {
      lastPollOk = false;
      lastPoll.set("Kafka did not take the records: " + e.getMessage());
      LOG.warn("bounce mailbox: {}; nothing of the batch was moved, the next poll tries again", e.getMessage());
    } catch (Exception e) {
      lastPollOk = false;
      lastPoll.set("the mailbox could not be read: " + e.getMessage());
      LOG.warn("bounce mailbox {}:{} could not be read: {}; the next poll tries again", config.imap().host(),
          config.imap().port(), e.toString());
      mailbox.close();
    }
  }

  private OpsServer.Readiness readiness() {
    boolean caughtUp = follower != null && follower.caughtUp();
    JsonObject details = new JsonObject()
        .put("sentIndex", caughtUp ? "caught up (" + follower.indexed() + " sent mails indexed since the start)"
            : "reading mail.status")
        .put("mailbox", lastPoll.get());
    return new OpsServer.Readiness(caughtUp && lastPollOk, details);
  }

  private OpsServer.Readiness liveness() {
    return new OpsServer.Readiness(!fatal.isDone(), new JsonObject().put("fatal", fatal.getNow(null)));
  }

  /** Completes with why, when the reader cannot go on. */
  public CompletableFuture<String> fatal() {
    return fatal;
  }

  public int httpPort() {
    return httpPort;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops polling (a poll in progress ends first), then closes everything. */
  public CompletableFuture<Void> stop() {
    return CompletableFuture.runAsync(() -> {
      pollThread.shutdown();
      try {
        pollThread.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (mailbox != null) {
        mailbox.close();
      }
      if (follower != null) {
        follower.close();
      }
      if (publisher != null) {
        publisher.close();
      }
      if (state != null) {
        state.close();
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().join();
      }
    });
  }
}
