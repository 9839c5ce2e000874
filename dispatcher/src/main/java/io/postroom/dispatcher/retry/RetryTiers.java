package io.postroom.dispatcher.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a job waits without holding memory: one Kafka topic per delay tier ({@code mail.jobs.retry.10s},
 * {@code .1m}, {@code .10m}, {@code .1h} by default). A job that must wait {@code w} goes to the
 * largest tier not longer than {@code w} (the smallest if none is), carrying its due time in a
 * header. A tier's reader takes a record when it is due or has sat its tier's delay, whichever
 * comes first; a job still not due then goes on to the tier that fits the time left.
 *
 * <p>So every record of a tier wakes at most one tier delay after it was written, and in the order
 * written: a tier's reader only ever waits for the record at the head of each partition, and a job
 * due tomorrow never holds up a retry due in ten seconds. The price is a few hops for long waits
 * (a day's wait is 24 hops through the 1 h tier) and, in the smallest tier, a short wait queued
 * behind a longer one written before it waits up to that tier's delay.
 *
 * @param topicPrefix tier topics are named {@code topicPrefix + "." + label}, e.g. {@code mail.jobs.retry.10s}
 * @param delays the tiers' delays, shortest first, distinct
 */
public record RetryTiers(String topicPrefix, List<Duration> delays) {

  public RetryTiers {
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    delays = List.copyOf(delays);
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("at least one retry tier is needed");
    }
    for (int i = 0; i < delays.size(); i++) {
      if (delays.get(i).toMillis() < 1) {
        throw new IllegalArgumentException("a retry tier must be at least 1 ms, got " + delays.get(i));
      }
      if (i > 0 && delays.get(i).compareTo(delays.get(i - 1)) <= 0) {
        throw new IllegalArgumentException("retry tiers must be distinct and shortest first, got " + delays);
      }
    }
  }

  public List<String> topics() {
    return delays.stream().map(this::topic).toList();
  }

  public String topic(Duration delay) {
    return topicPrefix + "." + label(delay);
  }

  /** The tier a job that must wait {@code wait} goes to. */
  public Duration forWait(Duration wait) {
    Duration tier = delays.get(0);
    for (Duration delay : delays) {
      if (delay.compareTo(wait) <= 0) {
        tier = delay;
      }
    }
    return tier;
  }

  /** The tier a topic holds, if it is one of these tiers' topics. */
  public Optional<Duration> delayOf(String topic) {
    if (!topic.startsWith(topicPrefix)) {
      // asked for every record read: the jobs topic's are answered without building the tiers' names
      return Optional.empty();
    }
    return delays.stream().filter(delay -> topic(delay).equals(topic)).findFirst();
  }

  /**
   * When a record of the tier {@code delay}, written at {@code writtenAt} (epoch ms), is read:
   * at its job's due time, or after the tier's delay if that comes first.
   */
  public static Instant wakeAt(Duration delay, long writtenAt, Instant due) {
    Instant tierEnd = Instant.ofEpochMilli(writtenAt).plus(delay);
    return due == null || tierEnd.isBefore(due) ? tierEnd : due;
  }

  /** "10s", "1m", "1h", "250ms": the shortest exact name of a delay. */
  public static String label(Duration delay) {
    long ms = delay.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
