package io.postroom.dispatcher;

import io.postroom.dispatcher.config.DispatchConfig;
import io.postroom.dispatcher.config.KafkaConfig;
import io.postroom.dispatcher.kafka.OffsetTracker;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.relay.RelayRouter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code mail.jobs} in the consumer group and keeps the at-least-once promise:
 *
 * <ul>
 *   <li>many jobs of a partition are in flight at once; the {@link OffsetTracker} commits a
 *       partition only up to its highest contiguous finished offset, on a timer and on revoke;
 *   <li>backpressure pauses the assigned <em>partitions</em> (never the stream, which would stop
 *       polling and get this member thrown out of the group) when {@code maxInFlight} jobs are
 *       unfinished or no relay can take mail, and resumes them at three quarters of the bound.
 * </ul>
 *
 * <p>Everything here runs on the verticle's event loop.
 */
final class JobConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);
  /**
   * vertx-kafka-client runs pause, resume and commit on the one thread that also blocks in
   * {@code poll}: with its default of 1 s, every resume after backpressure waited up to a second
   * while all partitions were paused, which capped throughput far below what the relay takes.
   */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

  private final Vertx vertx;
  private final KafkaConfig kafka;
  private final DispatchConfig dispatch;
  private final JobProcessor processor;
  private final RelayRouter router;
  private final DispatcherMetrics metrics;
  private final BiConsumer<Integer, Integer> onAssignment;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private KafkaConsumer<String, Buffer> consumer;
  private boolean paused;
  private boolean joined;
  private boolean stopping;
  private boolean committing;
  private long commitTimer = -1;
  private Promise<Void> drained;

  /**
   * @param onAssignment told, after every rebalance, how many of the jobs topic's partitions this
   *     instance reads and how many there are: each instance's share of a group-wide rate limit
   */
  JobConsumer(Vertx vertx, KafkaConfig kafka, DispatchConfig dispatch, JobProcessor processor, RelayRouter router,
      DispatcherMetrics metrics, BiConsumer<Integer, Integer> onAssignment) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.dispatch = dispatch;
    this.processor = processor;
    this.router = router;
    this.metrics = metrics;
    this.onAssignment = onAssignment;
  }

  static Map<String, String> consumerProperties(KafkaConfig kafka, DispatchConfig dispatch) {
    Map<String, String> props = kafka.clientProperties("jobs");
    props.put("group.id", kafka.consumerGroup());
    props.put("enable.auto.commit", "false");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
    props.putIfAbsent("auto.offset.reset", "earliest");
    // records already fetched are still delivered after a pause: keep a poll small next to the bound
    props.putIfAbsent("max.poll.records", Integer.toString(Math.max(1, Math.min(500, dispatch.maxInFlight() / 2))));
    return props;
  }

  Future<Void> start() {
    consumer = KafkaConsumer.create(vertx, consumerProperties(kafka, dispatch));
    consumer.pollTimeout(POLL_TIMEOUT);
    consumer.partitionsAssignedHandler(this::assignedPartitions);
    consumer.partitionsRevokedHandler(this::revokedPartitions);
    consumer.exceptionHandler(e -> LOG.warn("Kafka consumer: {}", e.getMessage()));
    consumer.handler(this::received);
    router.onAvailabilityChange(this::updateFlow);
    metrics.inFlight(tracker::inFlight, () -> paused ? assigned.size() : 0, assigned::size);
    commitTimer = vertx.setPeriodic(dispatch.commitInterval().toMillis(), id -> commit());
    return consumer.subscribe(kafka.jobsTopic())
        .onSuccess(v -> LOG.info("consuming {} as group {} from {}", kafka.jobsTopic(), kafka.consumerGroup(),
            kafka.bootstrapServers()));
  }

  /** Joined the group (even with no partitions to read). */
  boolean joined() {
    return joined;
  }

  int inFlight() {
    return tracker.inFlight();
  }

  private void received(KafkaConsumerRecord<String, Buffer> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    if (stopping || !assigned.contains(partition)) {
      // left over from a poll before a revoke or stop: the partition's next reader gets it again
      return;
    }
    long offset = record.offset();
    tracker.received(partition, offset);
    updateFlow();
    processing(SourceRecord.of(record)).onComplete(
        v -> finished(partition, offset),
        error -> {
          // the outcome is not durable: leave the offset uncommitted so the job is read again
          LOG.error("job at {}-{} offset {} did not finish: {}", partition.getTopic(), partition.getPartition(),
              offset, error.toString());
          updateFlow();
        });
  }

  /** The processor's future; a bug that throws instead of failing it must not escape into the consumer. */
  private Future<Void> processing(SourceRecord record) {
    try {
      return processor.process(record);
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
    LOG.info("assigned {}", describe(partitions));
    if (paused && !partitions.isEmpty()) {
      consumer.pause(partitions);
    }
    consumer.partitionsFor(kafka.jobsTopic()).onComplete(
        infos -> onAssignment.accept(assigned.size(), infos.size()),
        error -> LOG.warn("cannot read the partition count of {}: {}; rate shares unchanged", kafka.jobsTopic(),
            error.getMessage()));
  }

  private void revokedPartitions(Set<TopicPartition> partitions) {
    LOG.info("revoked {}", describe(partitions));
    commit();
    assigned.removeAll(partitions);
    tracker.revoked(partitions);
  }

  /** Pauses or resumes the assigned partitions to keep in flight below the bound. */
  private void updateFlow() {
    int inFlight = tracker.inFlight();
    boolean relayAvailable = router.anyUp();
    if (!paused && (stopping || inFlight >= dispatch.maxInFlight() || !relayAvailable)) {
      paused = true;
      if (!assigned.isEmpty()) {
        consumer.pause(new HashSet<>(assigned));
      }
    } else if (paused && !stopping && relayAvailable && inFlight <= dispatch.maxInFlight() * 3 / 4) {
      paused = false;
      if (!assigned.isEmpty()) {
        consumer.resume(new HashSet<>(assigned));
      }
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
          LOG.warn("offset commit failed, will try again: {}", e.getMessage());
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
          return offsets.isEmpty() ? Future.<Void>succeededFuture() : consumer.commit(offsets).<Void>mapEmpty()
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
