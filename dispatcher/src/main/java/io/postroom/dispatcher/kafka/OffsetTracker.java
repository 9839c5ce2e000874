package io.postroom.dispatcher.kafka;

import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What may be committed. Many records of a partition are in flight at once and finish in any
 * order; a partition is committed only up to its highest <em>contiguous</em> finished offset, i.e.
 * to the lowest offset still unfinished (Kafka's committed offset is the next one to read). A slow
 * job holds back only the commit, never the other jobs. Offsets the consumer skipped (compaction,
 * transaction markers) are not waited for: only received offsets count.
 *
 * <p>Event-loop confined, like the consumer that calls it.
 */
public final class OffsetTracker {
  private final Map<TopicPartition, Progress> partitions = new HashMap<>();
  private int inFlight;

  /** One partition: the offsets received and not finished, and how far it is known to be done. */
  private static final class Progress {
    final TreeSet<Long> unfinished = new TreeSet<>();
    long nextToRead = -1;
    long committed = -1;

    long committable() {
      return unfinished.isEmpty() ? nextToRead : unfinished.first();
    }
  }

  /** A record was handed to processing. */
  public void received(TopicPartition partition, long offset) {
    Progress progress = partitions.computeIfAbsent(partition, p -> new Progress());
    if (progress.unfinished.add(offset)) {
      inFlight++;
    }
    progress.nextToRead = Math.max(progress.nextToRead, offset + 1);
  }

  /**
   * A record's outcome is durable. Finishing an offset that is not in flight (a job of a partition
   * revoked meanwhile, or finished twice) changes nothing.
   *
   * @return whether the offset was in flight
   */
  public boolean finished(TopicPartition partition, long offset) {
    Progress progress = partitions.get(partition);
    if (progress == null || !progress.unfinished.remove(offset)) {
      return false;
    }
    inFlight--;
    return true;
  }

  /** The partitions are no longer ours: forget them; their jobs still running no longer count. */
  public void revoked(Set<TopicPartition> revoked) {
    for (TopicPartition partition : revoked) {
      Progress progress = partitions.remove(partition);
      if (progress != null) {
        inFlight -= progress.unfinished.size();
      }
    }
  }

  /** Records received and not finished, over all partitions. */
  public int inFlight() {
    return inFlight;
  }

  /** For each partition that moved since its last commit: the offset to commit (the next to read). */
  public Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach((partition, progress) -> {
      long offset = progress.committable();
      if (offset > progress.committed) {
        offsets.put(partition, new OffsetAndMetadata(offset, ""));
      }
    });
    return offsets;
  }

  /** These offsets were committed; a later {@link #committable()} leaves them out unless they moved. */
  public void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> {
      Progress progress = partitions.get(partition);
      if (progress != null) {
        progress.committed = Math.max(progress.committed, offset.getOffset());
      }
    });
  }
}
