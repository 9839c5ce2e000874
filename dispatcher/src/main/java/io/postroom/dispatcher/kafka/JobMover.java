package io.postroom.dispatcher.kafka;

import io.postroom.contract.Job;
import io.postroom.dispatcher.lanes.LaneTopics;
import io.postroom.dispatcher.retry.RetryTiers;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Takes a job out of memory while it must wait, by writing it to one of the dispatcher's own
 * topics: to a retry tier until it is due ({@code notBefore}, or the pause before another attempt),
 * or to its lane topic while its lane is full. The copy holds the original bytes and the job's
 * {@link Journey}. The returned future succeeds once the copy is durable; only then is the record
 * it replaces finished, so that its offset can be committed.
 *
 * <p>A copy goes to the partition with the number of the one its record was read from: the
 * instance that owns that number reads it again (see {@link LaneTopics}).
 */
public final class JobMover {
  private final JobForwarder forwarder;
  private final RetryTiers tiers;
  private final LaneTopics lanes;
  private final Clock clock;

  public JobMover(JobForwarder forwarder, RetryTiers tiers, LaneTopics lanes, Clock clock) {
    this.forwarder = forwarder;
    this.tiers = tiers;
    this.lanes = lanes;
    this.clock = clock;
  }

  /** To the retry tier that fits the wait until {@code due}. */
  public Future<Void> delay(SourceRecord record, Job job, Instant due, int attempts, String progress) {
    return delay(record, job, due, attempts, progress, record.journey().bulk());
  }

  /** The same, for a bulk send's recipient job, with its new {@code bulk} terms (a pause counted). */
  public Future<Void> delay(SourceRecord record, Job job, Instant due, int attempts, String progress,
      Journey.BulkTerms bulk) {
    Duration wait = Duration.between(clock.instant(), due);
    String topic = tiers.topic(tiers.forWait(wait));
    Journey journey = record.journey().waitingUntil(due, attempts, progress).ofTenant(job.tenant()).ofBulk(bulk);
    return forwarder.forward(topic, record.partition(), job.id(), record.value(), journey.headers());
  }

  /** To the lane topic of the job's priority, to be read again when its lane has room. */
  public Future<Void> park(SourceRecord record, Job job) {
    Journey journey = record.journey().ofTenant(job.tenant());
    return forwarder.forward(lanes.topic(job.priority()), record.partition(), job.tenant(), record.value(),
        journey.headers());
  }

  public boolean isLaneTopic(String topic) {
    return lanes.priorityOf(topic).isPresent();
  }
}
