package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusTallyTest {

  @Test
  void percentilesAreNearestRankOfTheSortedValues() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i;
    }

    assertThat(StatusTally.percentiles(values)).containsExactly(50, 95, 99);
  }

  @Test
  void percentilesOfNothingAreZero() {
    assertThat(StatusTally.percentiles(new long[0])).containsExactly(0, 0, 0);
  }

  @Test
  void aJobAndABulkRecipientOfTheRunAreCountedByTheirNumber() {
    assertThat(StatusTally.index("run1", "run1-17")).isEqualTo(17);
    assertThat(StatusTally.index("run1", "run1/17")).isEqualTo(17);
  }

  @Test
  void idsOfOtherRunsOrWithoutANumberAreNotCounted() {
    assertThat(StatusTally.index("run1", "run10-17")).isEqualTo(-1);
    assertThat(StatusTally.index("run1", "run1/c-17")).isEqualTo(-1);
    assertThat(StatusTally.index("run1", "run1-")).isEqualTo(-1);
    assertThat(StatusTally.index("run1", "other-1")).isEqualTo(-1);
  }
}
