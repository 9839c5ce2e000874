package io.postroom.dispatcher.lanes;

import io.postroom.contract.Priority;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the jobs of a full lane wait: one topic per priority ({@code mail.jobs.lanes.high},
 * {@code .normal}, {@code .bulk}), keyed by tenant. A dispatcher whose lane for (priority, tenant)
 * holds {@code laneCapacity} jobs writes that lane's further jobs there instead of keeping them, and
 * so keeps reading {@code mail.jobs}: another tenant's jobs behind a million bulk ones are reached
 * in seconds. A lane topic's partition is read only while the lane of the job at its head has room.
 *
 * <p>A parked job goes to the partition with the number of the partition it was read from
 * ({@link io.postroom.dispatcher.kafka.JobMover}): the consumer group's range assignment gives an
 * instance the same partition numbers of every topic, so the instance that parks a job reads it
 * again, and the work stays where the group-wide rate shares are (they follow the partitions of
 * {@code mail.jobs}). Parked with keys of their own, the jobs of one tenant gathered on a few
 * instances while the others' shares of the rate went unused.
 */
public record LaneTopics(String topicPrefix) {
  private static final Priority[] PRIORITIES = Priority.values();
  private static final String[] NAMES = Arrays.stream(PRIORITIES).map(LaneTopics::name).toArray(String[]::new);
  private static final List<Optional<Priority>> FOUND = Arrays.stream(PRIORITIES).map(Optional::of).toList();

  private static String name(Priority priority) {
    return priority.name().toLowerCase(Locale.ROOT);
  }

  public String topic(Priority priority) {
    return topicPrefix + "." + name(priority);
  }

  public List<String> topics() {
    return Arrays.stream(Priority.values()).map(this::topic).toList();
  }

  /**
   * The priority whose jobs a topic holds, if it is one of the lane topics. Asked for every record
   * read and every job taken on: answered without building a topic name or allocating.
   */
  public Optional<Priority> priorityOf(String topic) {
    int dot = topicPrefix.length();
    if (topic.length() <= dot + 1 || topic.charAt(dot) != '.' || !topic.startsWith(topicPrefix)) {
      return Optional.empty();
    }
    for (int i = 0; i < PRIORITIES.length; i++) {
      String name = NAMES[i];
      if (topic.length() == dot + 1 + name.length() && topic.startsWith(name, dot + 1)) {
        return FOUND.get(i);
      }
    }
    return Optional.empty();
  }
}
