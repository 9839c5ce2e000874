package io.postroom.dispatcher.lanes;

import io.postroom.api.Priority;
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
 * <p>The key is {@code tenant#n} with {@code n} from the job id, {@code 0 <= n < shards}: one tenant's
 * backlog is spread over up to {@code shards} partitions, so that many instances can work it off,
 * while different tenants mostly land on different partitions and do not queue behind each other.
 * Two tenants of one priority whose keys share a partition wait for each other there when both
 * overflow; more partitions make that rarer.
 */
public record LaneTopics(String topicPrefix, int shards) {

  public LaneTopics {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, was " + shards);
    }
  }

  public String topic(Priority priority) {
    return topicPrefix + "." + priority.name().toLowerCase(Locale.ROOT);
  }

  public List<String> topics() {
    return Arrays.stream(Priority.values()).map(this::topic).toList();
  }

  /** The priority whose jobs a topic holds, if it is one of the lane topics. */
  public Optional<Priority> priorityOf(String topic) {
    return Arrays.stream(Priority.values()).filter(priority -> topic(priority).equals(topic)).findFirst();
  }

  public String key(String tenant, String jobId) {
    return tenant + "#" + Math.floorMod(jobId.hashCode(), shards);
  }
}
