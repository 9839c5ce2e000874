package io.postroom.dispatcher;

import io.postroom.dispatcher.config.DispatchConfig;
import io.postroom.contract.config.KafkaSection;
import io.postroom.dispatcher.flow.FlowControl;
import io.postroom.dispatcher.flow.PartitionGates;
import io.postroom.dispatcher.flow.PartitionGates.Gate;
import io.postroom.dispatcher.kafka.GroupConsumer;
import io.postroom.dispatcher.kafka.OffsetTracker;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.relay.RelayRouter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.postroom.contract.Priority;
import io.postroom.dispatcher.kafka.Journey;
import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import io.postroom.dispatcher.lanes.LaneTopics;
import io.postroom.dispatcher.retry.RetryTiers;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code mail.jobs}, the retry tiers and the lane topics in the consumer group and keeps the
 * at-least-once promise:
 *
 * <ul>
 *   <li>many jobs of a partition are in flight at once; the {@link OffsetTracker} commits a
 *       partition only up to its highest contiguous finished offset, on a timer and on revoke;
 *   <li>backpressure pauses the assigned <em>partitions</em> (never the stream, which would stop
 *       polling and get this member thrown out of the group) when {@code maxInFlight} jobs are
 *       unfinished or no relay can take mail, and resumes them at three quarters of the bound
 *       ({@link FlowControl});
 *   <li>a retry tier's or lane topic's partition whose head record must wait (not due yet, or its
 *       lane full: the {@link Admission}) is paused alone behind a gate until it may go: the head
 *       and the few records of the same poll behind it are held, not worked on, and not committed
 *       ({@link PartitionGates}); so is a newly assigned partition until the status topic was read.
 * </ul>
 *
 * <p>Everything here runs on the verticle's event loop.
 */
final class JobConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);
  private static final Duration COMMIT_WARNING_INTERVAL = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final KafkaSection kafka;
  private final DispatchConfig dispatch;
  private final Function<Map<String, String>, GroupConsumer> consumers;
  private final RecordProcessor processor;
  private final RelayRouter router;
  private final DispatcherMetrics metrics;
  private final BiConsumer<Integer, Integer> onAssignment;
  private final RetryTiers tiers;
  private final LaneTopics laneTopics;
  private final LaneOccupancy lanes;
  private final Admission admission;
  private final Clock clock;
  private final Supplier<Future<Void>> learnReports;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final FlowControl<TopicPartition> flow;
  private final PartitionGates<TopicPartition, KafkaConsumerRecord<String, Buffer>> gates;
  private GroupConsumer consumer;
  /** Records held behind gates, for the gauge (read from the metrics endpoint's thread). */
  private volatile int held;
  private volatile boolean joined;
  private boolean stopping;
  private boolean committing;
  private long commitTimer = -1;
  private long lastCommitWarning = System.nanoTime() - COMMIT_WARNING_INTERVAL.toNanos();
  private Promise<Void> drained;

  /**
   * @param consumers makes the consumer in the group from its properties
   *     ({@link io.postroom.dispatcher.kafka.KafkaGroupConsumer#create})
   * @param onAssignment told, after every rebalance, how many of the jobs topic's partitions this
   *     instance reads and how many there are: each instance's share of a group-wide rate limit
   * @param learnReports reads what the group reported on the status topic since the last call
   *     ({@link io.postroom.dispatcher.dedupe.StatusTail#learn}); newly assigned partitions wait for it
   */
  JobConsumer(Vertx vertx, Function<Map<String, String>, GroupConsumer> consumers, KafkaSection kafka,
      DispatchConfig dispatch, RecordProcessor processor, RelayRouter router,
      DispatcherMetrics metrics, BiConsumer<Integer, Integer> onAssignment, RetryTiers tiers, LaneTopics laneTopics,
      LaneOccupancy lanes, Admission admission, Supplier<Future<Void>> learnReports, Clock clock) {
    this.vertx = vertx;
    this.consumers = consumers;
    this.learnReports = learnReports;
    this.tiers = tiers;
    this.laneTopics = laneTopics;
    this.lanes = lanes;
    this.admission = admission;
    this.clock = clock;
    this.kafka = kafka;
    this.dispatch = dispatch;
    this.processor = processor;
    this.router = router;
    this.metrics = metrics;
    this.onAssignment = onAssignment;
    this.flow = new FlowControl<>(dispatch.maxInFlight(), router::anyUp);
    this.gates = new PartitionGates<>(flow::changed);
  }

  static Map<String, String> consumerProperties(KafkaSection kafka, DispatchConfig dispatch) {
    Map<String, String> props = kafka.clientProperties("jobs");
    props.put("group.id", kafka.consumerGroup());
    props.put("enable.auto.commit", "false");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
    props.putIfAbsent("auto.offset.reset", "earliest");
    // the same partition numbers of every topic to one member: a job parked or retried is written to
    // its own partition's number and read again by the instance whose rate share it belongs to
    props.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
    // a member hears of a rebalance on its next heartbeat: with the default 3 s, a joining instance
    // left the members that already read every partition sending them for up to 3 s more, then
    // handing their in-flight jobs over unsent
    props.putIfAbsent("heartbeat.interval.ms", "500");
    // records already fetched are still delivered after a pause: keep a poll small next to the bound
    props.putIfAbsent("max.poll.records", Integer.toString(Math.max(1, Math.min(500, dispatch.maxInFlight() / 2))));
    // what the consumer fetches ahead is memory too: bounded, not growing with the backlog (Kafka's
    // default lets one fetch bring 50 MB); a poll's worth is far below this
    props.putIfAbsent("fetch.max.bytes", Integer.toString(1024 * 1024));
    return props;
  }

  Future<Void> start() {
    consumer = consumers.apply(consumerProperties(kafka, dispatch));
    consumer.partitionsAssignedHandler(this::assignedPartitions);
    consumer.partitionsRevokedHandler(this::revokedPartitions);
    // a poll's records in one event-loop task: the per-record handler costs a task and a context per ten records
    consumer.batchHandler(records -> {
      for (int i = 0; i < records.size(); i++) {
        received(records.recordAt(i));
      }
    });
    router.onAvailabilityChange(this::updateFlow);
    lanes.onRoom(this::laneHasRoom);
    commitTimer = vertx.setPeriodic(dispatch.commitInterval().toMillis(), id -> commit());
    Set<String> topics = new LinkedHashSet<>();
    topics.add(kafka.jobsTopic());
    topics.addAll(tiers.topics());
    topics.addAll(laneTopics.topics());
    return consumer.subscribe(topics)
        .onSuccess(v -> LOG.info("consuming {} as group {} from {}", topics, kafka.consumerGroup(),
            kafka.bootstrapServers()));
  }

  /** Joined the group (even with no partitions to read). */
  boolean joined() {
    return joined;
  }

  int inFlight() {
    return tracker.inFlight();
  }

  // for the gauges, read from the metrics endpoint's thread: sizes only, never an iteration
  int pausedPartitions() {
    return flow.pausedPartitions();
  }

  int assignedPartitions() {
    return assigned.size();
  }

  int waitingPartitions() {
    return gates.size();
  }

  int heldRecords() {
    return held;
  }

  private void received(KafkaConsumerRecord<String, Buffer> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    if (stopping || !assigned.contains(partition)) {
      // left over from a poll before a revoke or stop: the partition's next reader gets it again
      return;
    }
    if (gates.holds(partition, record)) {
      // fetched before the pause took effect: keeps its place behind the waiting head
      held++;
      return;
    }
    admit(partition, record);
  }

  /** Works on the record, or closes its partition's gate if the record must wait. */
  private void admit(TopicPartition partition, KafkaConsumerRecord<String, Buffer> record) {
    SourceRecord source = SourceRecord.of(record, !record.topic().equals(kafka.jobsTopic()));
    Admission.Decision decision = mayGo(record, source.journey());
    if (decision instanceof Admission.WaitUntil wait) {
      Gate<KafkaConsumerRecord<String, Buffer>> gate = gates.close(partition, record, wait.until(), null);
      gate.timer(vertx.setTimer(Math.max(1, Duration.between(clock.instant(), wait.until()).toMillis()),
          id -> open(partition, gate)));
      updateFlow();
      return;
    }
    if (decision instanceof Admission.WaitForLaneRoom room) {
      gates.close(partition, record, null, room.lane());
      updateFlow();
      return;
    }
    long offset = record.offset();
    tracker.received(partition, offset);
    updateFlow();
    processing(partition, source).onComplete(
        processed -> {
          if (processed == Processed.DURABLE) {
            finished(partition, offset);
          } else {
            // not sent here: the offset stays uncommitted, for the partition's new reader
            LOG.debug("job at {}-{} offset {}: {}", partition.getTopic(), partition.getPartition(), offset,
                PartitionHandedOver.INSTANCE);
            updateFlow();
          }
        },
        error -> {
          // the outcome is not durable: leave the offset uncommitted so the job is read again
          LOG.error("job at {}-{} offset {} did not finish: {}", partition.getTopic(), partition.getPartition(),
              offset, error.toString());
          updateFlow();
        });
  }

  /**
   * Whether a record may be worked on now: a retry tier's record waits until its wake time (see
   * {@link RetryTiers#wakeAt}), a lane topic's record while its lane is full; the jobs topic's go.
   */
  private Admission.Decision mayGo(KafkaConsumerRecord<String, Buffer> record, Journey journey) {
    Optional<Duration> tier = tiers.delayOf(record.topic());
    if (tier.isPresent()) {
      return admission.ofRecord(RetryTiers.wakeAt(tier.get(), record.timestamp(), journey.due()), null);
    }
    Optional<Priority> priority = laneTopics.priorityOf(record.topic());
    if (priority.isPresent()) {
      return admission.ofRecord(null, new Lane(priority.get(), journey.tenant() == null ? "" : journey.tenant()));
    }
    return Admission.GO;
  }

  private void laneHasRoom(Lane lane) {
    gates.waitingFor(lane).forEach(entry -> open(entry.getKey(), entry.getValue()));
  }

  /** The head may go: admit the held records in order, until one of them must wait in turn. */
  private void open(TopicPartition partition, Gate<KafkaConsumerRecord<String, Buffer>> gate) {
    if (gates.open(partition, gate, this::admit)) {
      vertx.cancelTimer(gate.timer());
      updateFlow();
    }
  }

  /** The processor's future; a bug that throws instead of failing it must not escape into the consumer. */
  private Future<Processed> processing(TopicPartition partition, SourceRecord record) {
    Delivery.Ownership owned = () -> assigned.contains(partition);
    try {
      return processor.process(record, owned);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void finished(TopicPartition partition, long offset) {
    tracker.finished(partition, offset);
    updateFlow();
    if (drained != null && tracker.inFlight() == 0) {
      drained.tryComplete();
    }
  }

  private void assignedPartitions(Set<TopicPartition> partitions) {
    joined = true;
    assigned.addAll(partitions);
    // a partition assigned anew starts unpaused in the Kafka consumer
    flow.assigned(partitions);
    LOG.info("assigned {}", describe(partitions));
    // the partitions' last reader may have reported jobs it could not commit: learn them first
    // (also those assigned back: a member that lost its partitions is told so only when it rejoins,
    // and others may have had them meanwhile)
    Map<TopicPartition, Gate<KafkaConsumerRecord<String, Buffer>>> learning = gates.closeUntilLearned(partitions);
    updateFlow();
    learnReports.get().onComplete(ar -> learning.forEach(this::open));
    long jobPartitions = assigned.stream().filter(p -> p.getTopic().equals(kafka.jobsTopic())).count();
    consumer.partitionsFor(kafka.jobsTopic()).onComplete(
        infos -> onAssignment.accept((int) jobPartitions, infos.size()),
        error -> LOG.warn("cannot read the partition count of {}: {}; rate shares unchanged", kafka.jobsTopic(),
            error.getMessage()));
  }

  private void revokedPartitions(Set<TopicPartition> partitions) {
    LOG.info("revoked {}", describe(partitions));
    commit();
    assigned.removeAll(partitions);
    flow.revoked(partitions);
    tracker.revoked(partitions);
    for (TopicPartition partition : partitions) {
      Gate<KafkaConsumerRecord<String, Buffer>> gate = gates.drop(partition);
      if (gate != null) {
        // held records were never worked on nor committed: the partition's next reader gets them
        vertx.cancelTimer(gate.timer());
      }
    }
  }

  /** Applies {@link FlowControl}'s answer to the Kafka consumer, if it changed anything. */
  private void updateFlow() {
    // jobs being moved to a lane or retry topic are bounded apart from those being worked on
    int moving = processor.moving();
    FlowControl.Change<TopicPartition> change = flow.update(tracker.inFlight() - moving, moving, stopping, assigned,
        gates.closed());
    if (change == null) {
      return;
    }
    held = gates.held();
    if (!change.pause().isEmpty()) {
      consumer.pause(change.pause());
    }
    if (!change.resume().isEmpty()) {
      consumer.resume(change.resume());
    }
  }

  private void commit() {
    if (committing || consumer == null) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    if (offsets.isEmpty()) {
      return;
    }
    committing = true;
    consumer.commit(offsets)
        .onSuccess(v -> {
          tracker.markCommitted(offsets);
          metrics.committed(offsets.size());
        })
        .onFailure(e -> {
          metrics.commitFailed();
          // every commit interval while Kafka is away: one line per few seconds says it
          long now = System.nanoTime();
          if (now - lastCommitWarning >= COMMIT_WARNING_INTERVAL.toNanos()) {
            lastCommitWarning = now;
            LOG.warn("offset commit failed, will try again: {}", e.getMessage());
          }
        })
        .onComplete(ignored -> committing = false);
  }

  /**
   * Stops taking work, lets in-flight jobs finish within the deadline, commits what finished and
   * leaves the group. Jobs still unfinished at the deadline stay uncommitted: the partition's next
   * reader sends them.
   */
  Future<Void> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    stopping = true;
    gates.dropAll().forEach(gate -> vertx.cancelTimer(gate.timer()));
    updateFlow();
    drained = Promise.promise();
    if (tracker.inFlight() == 0) {
      drained.tryComplete();
    }
    long deadline = vertx.setTimer(dispatch.shutdownDeadline().toMillis(), id -> {
      if (drained.tryComplete()) {
        LOG.warn("shutdown deadline reached with {} job(s) unfinished; they stay uncommitted", tracker.inFlight());
      }
    });
    return drained.future()
        .compose(v -> {
          vertx.cancelTimer(deadline);
          vertx.cancelTimer(commitTimer);
          committing = false;
          Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
          return offsets.isEmpty() ? Future.<Void>succeededFuture() : consumer.commit(offsets)
              .onSuccess(ok -> tracker.markCommitted(offsets));
        })
        .recover(e -> {
          LOG.warn("final offset commit failed: {}", e.getMessage());
          return Future.succeededFuture();
        })
        .compose(v -> consumer.close());
  }

  private static String describe(Set<TopicPartition> partitions) {
    return partitions.stream().map(p -> p.getTopic() + "-" + p.getPartition()).sorted().toList().toString();
  }
}
