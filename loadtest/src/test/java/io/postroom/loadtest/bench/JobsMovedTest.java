package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobsMovedTest {
  private static final String METRICS = """
      # HELP postroom_jobs_moved_total Jobs written to a retry tier (to=retry) or a lane topic (to=lane)
      # TYPE postroom_jobs_moved_total counter
      postroom_jobs_moved_total{to="lane"} 17.0
      postroom_jobs_moved_total{to="retry"} 2.0
      postroom_sent_total{relay="primary"} 100.0
      """;

  @Test
  void theCounterIsReadByDestination() {
    assertThat(JobsMoved.count(METRICS, "lane")).isEqualTo(17);
    assertThat(JobsMoved.count(METRICS, "retry")).isEqualTo(2);
  }

  @Test
  void aCounterNeverIncrementedIsZero() {
    assertThat(JobsMoved.count("postroom_sent_total 3.0\n", "lane")).isZero();
  }
}
