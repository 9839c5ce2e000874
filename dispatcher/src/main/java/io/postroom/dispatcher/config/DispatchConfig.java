package io.postroom.dispatcher.config;

import java.time.Duration;
import java.util.List;

/**
 * How the dispatcher paces itself.
 *
 * @param maxInFlight jobs of this instance between "record received" and "outcome durable"; at
 *     this bound the assigned partitions are paused
 * @param maxAttempts tries per job for transient (4xx) failures; relay-level failures use none
 * @param retryInitial first delay before retrying a transient failure, doubled each time
 * @param retryMax cap of that delay
 * @param relayBackoffInitial first pause after a relay-level failure, doubled while it lasts
 * @param relayBackoffMax cap of that pause
 * @param commitInterval how often finished offsets are committed
 * @param shutdownDeadline how long a stopping dispatcher lets in-flight jobs finish
 * @param dedupeCapacity job ids remembered as sent, to answer a repeat with DUPLICATE
 * @param retryTiers the delays of the retry tier topics, shortest first
 * @param laneCapacity jobs of one lane (priority and tenant) this instance holds; further ones wait
 *     on the lane topic
 * @param instances dispatcher verticles in one process, each on its own event loop with its own
 *     consumer in the group; the in-flight bound and the lane capacity above are the process's, and
 *     each instance holds its {@link #share share} of them
 */
public record DispatchConfig(
    int maxInFlight,
    int maxAttempts,
    Duration retryInitial,
    Duration retryMax,
    Duration relayBackoffInitial,
    Duration relayBackoffMax,
    Duration commitInterval,
    Duration shutdownDeadline,
    int dedupeCapacity,
    List<Duration> retryTiers,
    int laneCapacity,
    int instances) {

  public DispatchConfig {
    retryTiers = List.copyOf(retryTiers);
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, was " + instances);
    }
  }

  /** What one of the {@link #instances} holds: its part of the in-flight bound and of each lane's capacity. */
  public DispatchConfig share() {
    return new DispatchConfig(InstanceShare.ceilPart(maxInFlight, instances), maxAttempts, retryInitial, retryMax,
        relayBackoffInitial, relayBackoffMax, commitInterval, shutdownDeadline, dedupeCapacity, retryTiers,
        InstanceShare.ceilPart(laneCapacity, instances), 1);
  }
}
