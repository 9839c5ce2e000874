package io.postroom.loadtest.baseline;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka ceiling's offsets: which records were handed out and which are finished (their status
 * write acknowledged), per partition, and so the offset each partition may commit: the lowest
 * unfinished offset, or one past the highest handed out when all are finished. Records finish out of
 * order (several sends are in flight); an offset is never committed past an unfinished record.
 * Thread-safe: records are handed out on the poll thread and finish on the producer's.
 */
final class OffsetLedger {
  private final Map<TopicPartition, TreeSet<Long>> unfinished = new HashMap<>();
  private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  synchronized void handedOut(TopicPartition partition, long offset) {
    unfinished.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
    nextOffset.merge(partition, offset + 1, Math::max);
  }

  synchronized void finished(TopicPartition partition, long offset) {
    TreeSet<Long> offsets = unfinished.get(partition);
    if (offsets != null) {
      offsets.remove(offset);
    }
  }

  /** The offsets to commit now: those that moved since the last call (which they are assumed committed by). */
  synchronized Map<TopicPartition, OffsetAndMetadata> toCommit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    nextOffset.forEach((partition, next) -> {
      TreeSet<Long> open = unfinished.get(partition);
      long position = open == null || open.isEmpty() ? next : open.first();
      if (position > committed.getOrDefault(partition, -1L)) {
        offsets.put(partition, new OffsetAndMetadata(position));
        committed.put(partition, position);
      }
    });
    return offsets;
  }
}
