package io.postroom.dispatcher.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.postroom.api.Priority;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LaneTopicsTest {
  private static final int SHARDS = 4;

  private final LaneTopics lanes = new LaneTopics("mail.jobs.lanes", SHARDS);

  @Test
  void thereIsOneTopicPerPriority() {
    assertThat(lanes.topics()).containsExactly("mail.jobs.lanes.high", "mail.jobs.lanes.normal", "mail.jobs.lanes.bulk");
  }

  @Test
  void aPrioritysTopicIsNamedInLowerCase() {
    assertThat(lanes.topic(Priority.BULK)).isEqualTo("mail.jobs.lanes.bulk");
  }

  @Test
  void aLaneTopicTellsItsPriority() {
    for (Priority priority : Priority.values()) {
      assertThat(lanes.priorityOf(lanes.topic(priority))).contains(priority);
    }
  }

  @Test
  void aForeignTopicHasNoPriority() {
    assertThat(lanes.priorityOf("mail.jobs")).isEmpty();
    assertThat(lanes.priorityOf("mail.jobs.lanes.urgent")).isEmpty();
    assertThat(lanes.priorityOf("mail.jobs.retry.10s")).isEmpty();
  }

  @Test
  void aJobsKeyIsStable() {
    String key = lanes.key("billing", "order-4711-confirmation");

    assertThat(lanes.key("billing", "order-4711-confirmation")).isEqualTo(key);
    assertThat(new LaneTopics("mail.jobs.lanes", SHARDS).key("billing", "order-4711-confirmation")).isEqualTo(key);
  }

  @Test
  void aKeyIsTheTenantAndAShardBelowTheNumberOfShards() {
    Set<String> allowed = Set.of("billing#0", "billing#1", "billing#2", "billing#3");

    IntStream.range(0, 1_000).mapToObj(i -> "job-" + i)
        .forEach(jobId -> assertThat(lanes.key("billing", jobId)).isIn(allowed));
  }

  @Test
  void aJobIdWithANegativeHashStillGetsAShardInRange() {
    String jobId = "polygenelubricants"; // String.hashCode() == Integer.MIN_VALUE
    assertThat(jobId.hashCode()).isNegative();

    assertThat(lanes.key("billing", jobId)).matches("billing#[0-3]");
  }

  @Test
  void aTenantsManyJobsAreSpreadOverAllShards() {
    Set<String> keys = IntStream.range(0, 1_000).mapToObj(i -> lanes.key("billing", "order-" + i))
        .collect(Collectors.toSet());

    assertThat(keys).containsExactlyInAnyOrder("billing#0", "billing#1", "billing#2", "billing#3");
  }

  @Test
  void withOneShardEveryJobOfATenantHasTheSameKey() {
    LaneTopics single = new LaneTopics("mail.jobs.lanes", 1);

    IntStream.range(0, 100).forEach(i -> assertThat(single.key("billing", "order-" + i)).isEqualTo("billing#0"));
  }

  @Test
  void fewerThanOneShardIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new LaneTopics("mail.jobs.lanes", 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new LaneTopics("mail.jobs.lanes", -1));
  }
}
