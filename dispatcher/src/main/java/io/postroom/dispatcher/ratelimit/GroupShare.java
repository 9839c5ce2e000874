package io.postroom.dispatcher.ratelimit;

import java.util.Objects;
import java.util.Optional;

/**
 * This dispatcher instance's share of a rate limit that holds for the whole consumer group, such as
 * "the relay accepts 100 messages per second from all of Postroom". Every instance reads jobs only
 * from the partitions assigned to it, so it takes the part of the group rate that its assigned
 * partitions make of all the partitions of the jobs topic. The instances need no coordination beyond
 * what the group's rebalance already gives them; the caller recomputes the share on every rebalance.
 *
 * <p>The limit of this approach: the share follows partitions, not traffic. An instance whose
 * partitions are idle leaves its share unused while an instance with busy partitions is held to its
 * own share, so the group as a whole may send below the group rate when jobs are unevenly spread
 * over partitions. It never sends above it (apart from the moment of a rebalance, when the old and
 * new owners of a partition may briefly both count it).
 */
public record GroupShare(MessageRate groupRate) {

  public GroupShare {
    Objects.requireNonNull(groupRate, "groupRate");
  }

  /**
   * The rate this instance may send at.
   *
   * @param assignedPartitions how many partitions of the jobs topic are assigned to this instance;
   *     between 0 and {@code partitionCount}
   * @param partitionCount how many partitions the jobs topic has in all; at least 1
   * @return {@code groupRate × assignedPartitions / partitionCount}, or empty when nothing is
   *     assigned (an instance without partitions sends nothing, so it needs no rate)
   */
  public Optional<MessageRate> forAssignment(int assignedPartitions, int partitionCount) {
    if (partitionCount < 1) {
      throw new IllegalArgumentException(
          "partitionCount must be at least 1, was " + partitionCount);
    }
    if (assignedPartitions < 0 || assignedPartitions > partitionCount) {
      throw new IllegalArgumentException("assignedPartitions must be between 0 and partitionCount ("
          + partitionCount + "), was " + assignedPartitions);
    }
    if (assignedPartitions == 0) {
      return Optional.empty();
    }
    return Optional.of(groupRate.times((double) assignedPartitions / partitionCount));
  }
}
