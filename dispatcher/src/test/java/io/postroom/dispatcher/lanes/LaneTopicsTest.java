package io.postroom.dispatcher.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import org.junit.jupiter.api.Test;

class LaneTopicsTest {
  private final LaneTopics lanes = new LaneTopics("mail.jobs.lanes");

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
  void aTopicThatOnlyBeginsOrEndsLikeALaneTopicHasNoPriority() {
    assertThat(lanes.priorityOf("mail.jobs.lanes.highest")).isEmpty();
    assertThat(lanes.priorityOf("mail.jobs.lanesXhigh")).isEmpty();
    assertThat(lanes.priorityOf("mail.jobs.lanes.")).isEmpty();
    assertThat(lanes.priorityOf("other.jobs.lanes.high")).isEmpty();
  }
}
