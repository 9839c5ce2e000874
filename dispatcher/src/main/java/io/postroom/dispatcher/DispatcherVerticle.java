package io.postroom.dispatcher;

import io.postroom.contract.JobValidator;
import io.postroom.dispatcher.bulk.SharedViews;
import io.postroom.dispatcher.compliance.MailMarks;
import io.postroom.dispatcher.bulk.BulkExpander;
import io.postroom.dispatcher.config.DispatchConfig;
import io.postroom.dispatcher.config.PostroomConfig;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.dedupe.ReportedRecords;
import io.postroom.dispatcher.dedupe.SentJobs;
import io.postroom.dispatcher.dedupe.StatusTail;
import io.postroom.dispatcher.kafka.JobMover;
import io.postroom.dispatcher.kafka.KafkaGroupConsumer;
import io.postroom.dispatcher.kafka.KafkaWrites;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import io.postroom.dispatcher.lanes.LaneTopics;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.ops.Lifeline;
import io.postroom.dispatcher.ops.LoopWatch;
import io.postroom.dispatcher.ratelimit.RateLimits;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.RelayHealth;
import io.postroom.dispatcher.relay.RelayRouter;
import io.postroom.dispatcher.retry.Backoff;
import io.postroom.dispatcher.retry.RetryPolicy;
import io.postroom.dispatcher.retry.RetryTiers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher instance, on its own event loop: its relays' mail pools, the job pipeline and its
 * own consumer in the group, exactly what a separate process would have. A process runs
 * {@code dispatch.instances} of them ({@link Dispatcher}); what must be one per process (the metrics
 * registry, the health and metrics endpoints) lives there.
 */
public final class DispatcherVerticle extends VerticleBase implements DispatcherMetrics.Instance {
  private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);
  /** Writes of bulk records' recipients unanswered by Kafka at a time, per instance: a few producer batches. */
  private static final int EXPANSION_WINDOW = 1000;

  private final PostroomConfig config;
  private final DispatcherMetrics metrics;
  private final StartLine startLine;
  private final Lifeline lifeline;
  private final LoopWatch loopWatch;
  /** The process's registered templates and bulk controls, shared by its instances. */
  private final SharedViews views;
  private long loopBeat = -1;
  /** Set once the instance's relays exist; read by the ops endpoints' thread. */
  private volatile List<Relay> relays = List.of();
  private RelayRouter router;
  private RateLimits rateLimits;
  private KafkaWrites writes;
  private StatusTail statusTail;
  private JobConsumer consumer;

  /**
   * @param config this instance's configuration ({@link PostroomConfig#forInstance})
   * @param startLine where the process's instances wait for each other before joining the group
   */
  DispatcherVerticle(PostroomConfig config, DispatcherMetrics metrics, StartLine startLine, Lifeline lifeline,
      LoopWatch loopWatch, SharedViews views) {
    this.config = config;
    this.metrics = metrics;
    this.startLine = startLine;
    this.lifeline = lifeline;
    this.loopWatch = loopWatch;
    this.views = views;
  }

  private String loopName() {
    return "dispatcher instance " + config.kafka().clientId();
  }

  /** The retry tiers, lane topics and recipients topic the dispatchers write to and read: theirs to create. */
  static List<String> ownTopics(PostroomConfig config) {
    List<String> topics = new ArrayList<>(retryTiers(config).topics());
    topics.addAll(laneTopics(config).topics());
    topics.add(config.kafka().recipientsTopic());
    return topics;
  }

  private static RetryTiers retryTiers(PostroomConfig config) {
    return new RetryTiers(config.kafka().retryTopicPrefix(), config.dispatch().retryTiers());
  }

  private static LaneTopics laneTopics(PostroomConfig config) {
    return new LaneTopics(config.kafka().laneTopicPrefix());
  }

  @Override
  public Future<?> start() {
    // compose: a failure to build the instance fails the future, and so releases the other instances
    loopBeat = loopWatch.watch(loopName(), context);
    return Future.<Void>succeededFuture()
        .compose(v -> prepare())
        .onFailure(startLine::abandon)
        .compose(v -> startLine.arrive(context))
        .compose(v -> consumer.start());
  }

  /** Everything but the group membership: relays, producers, the pipeline, the status topic read. */
  private Future<Void> prepare() {
    DispatchConfig dispatch = config.dispatch();
    Backoff relayBackoff = new Backoff(dispatch.relayBackoffInitial(), dispatch.relayBackoffMax(), 2.0);
    List<Relay> made = new ArrayList<>();
    for (RelayConfig relay : config.relays()) {
      // the router does not exist yet when the health objects are made; they reach it through this
      RelayHealth health = new RelayHealth(vertx, relay.name(), relayBackoff, () -> router.relayStateChanged());
      made.add(new Relay(vertx, relay, health));
    }
    relays = List.copyOf(made);
    router = new RelayRouter(relays, tenant -> config.tenant(tenant).weight());
    writes = new KafkaWrites(vertx, config.kafka(), lifeline::end);
    RetryPolicy retryPolicy = new RetryPolicy(dispatch.maxAttempts(),
        new Backoff(dispatch.retryInitial(), dispatch.retryMax(), 2.0));
    rateLimits = new RateLimits(vertx, config.relays(), config::tenant);
    LaneOccupancy lanes = new LaneOccupancy(dispatch.laneCapacity());
    Admission admission = new Admission(lanes, Clock.systemUTC());
    Delivery delivery = new Delivery(router, rateLimits, retryPolicy, metrics, admission, views.controls());
    RetryTiers tiers = retryTiers(config);
    LaneTopics laneTopics = laneTopics(config);
    JobMover mover = new JobMover(writes.forwarder(), tiers, laneTopics, Clock.systemUTC());
    SentJobs sent = new SentJobs(dispatch.dedupeCapacity());
    ReportedRecords reported = new ReportedRecords(dispatch.dedupeCapacity());
    statusTail = new StatusTail(vertx, config.kafka(), sent, reported, dispatch.dedupeCapacity());
    JobProcessor processor = new JobProcessor(new JobValidator(config.maxMessageBytes()), delivery, writes.outcomes(), mover,
        lanes, admission, sent, reported, views.templates(), views.controls(), job -> views.suppressions().of(job),
        new MailMarks(config.compliance(), config::tenant), metrics, Clock.systemUTC());
    BulkExpander expander = new BulkExpander(writes.forwarder(), writes.outcomes(), reported, views.controls(),
        config.kafka().recipientsTopic(), EXPANSION_WINDOW, metrics, Clock.systemUTC());
    consumer = new JobConsumer(vertx, props -> KafkaGroupConsumer.create(vertx, props), config.kafka(), dispatch,
        new JobRecords(config.kafka().jobsTopic(), processor, expander), router, metrics, rateLimits::rebalanced,
        // an assignment's partitions wait until the process's instances have all joined, then for the status read
        tiers, laneTopics, lanes, admission, () -> startLine.assigned(context).transform(ar -> statusTail.learn()),
        Clock.systemUTC());
    metrics.instance(this);
    return writes.start(ownTopics(config)).compose(v -> statusTail.start());
  }

  /** Joined the consumer group (even with no partitions to read). */
  boolean joined() {
    return consumer != null && consumer.joined();
  }

  boolean anyRelayUp() {
    return router != null && router.anyUp();
  }

  @Override
  public int inFlight() {
    return consumer == null ? 0 : consumer.inFlight();
  }

  @Override
  public int pausedPartitions() {
    return consumer == null ? 0 : consumer.pausedPartitions();
  }

  @Override
  public int assignedPartitions() {
    return consumer == null ? 0 : consumer.assignedPartitions();
  }

  @Override
  public int waitingPartitions() {
    return consumer == null ? 0 : consumer.waitingPartitions();
  }

  @Override
  public int heldRecords() {
    return consumer == null ? 0 : consumer.heldRecords();
  }

  @Override
  public List<Relay> relays() {
    return relays;
  }

  @Override
  public RateLimits rateLimits() {
    return rateLimits;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(loopBeat);
    loopWatch.unwatch(loopName());
    if (consumer == null) {
      return Future.succeededFuture();
    }
    LOG.info("stopping: no new jobs; letting {} in-flight job(s) finish within {}", consumer.inFlight(),
        config.dispatch().shutdownDeadline());
    return consumer.stop()
        .eventually(() -> statusTail.close())
        .eventually(() -> writes.close())
        .eventually(() -> Future.join(relays.stream().map(Relay::close).toList()))
        .onComplete(ar -> {
          metrics.removeInstance(this);
          LOG.info("stopped");
        });
  }
}
