package io.postroom.contract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void theBarIsFilledInProportionAndShowsCountsRateAndTimeLeft() {
    assertThat(Progress.bar(2_500, 10_000, 2.0, "jobs"))
        .isEqualTo("[#######.......................] 2,500 / 10,000 jobs  1,250/s  ETA 0:06");
  }

  @Test
  void withoutATotalThereIsNoBarAndNoTimeLeft() {
    assertThat(Progress.bar(1_200, 0, 4.0, "letters")).isEqualTo("1,200 letters  300/s");
  }

  @Test
  void aLineForAFileSaysThePercentage() {
    assertThat(Progress.counts(2_500, 10_000, 2.0, "jobs")).isEqualTo("2,500 / 10,000 jobs (25 %), 1,250/s, ETA 0:06");
  }

  @Test
  void theTimeLeftTakesHoursWhenItIsThatLong() {
    assertThat(Progress.eta(0, 7_200, 1.0)).isEqualTo("2:00:00");
  }

  @Test
  void nothingLeftMeansNoTimeLeftShown() {
    assertThat(Progress.eta(10, 10, 5.0)).isEmpty();
  }
}
