package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyStateTest {

  @Test
  void steadyStartsAtTheFirstSecondFromWhichEverySecondStaysWithinTenPercentOfTheMedian() {
    // median of the six whole seconds is 97.5; 85 is 13 % off, 95 and 104 are within 10 %
    List<Long> perSecond = List.of(20L, 85L, 95L, 100L, 104L, 100L);

    assertThat(SteadyState.secondsToSteady(perSecond, 6.0)).isEqualTo(2);
  }

  @Test
  void aSecondOffTheMedianLaterInTheWindowMovesSteadyPastIt() {
    List<Long> perSecond = List.of(100L, 100L, 100L, 50L, 100L, 100L, 100L);

    assertThat(SteadyState.secondsToSteady(perSecond, 7.0)).isEqualTo(4);
  }

  @Test
  void theLastPartialSecondOfTheWindowIsLeftOut() {
    // the window is 3.4 s long: the fourth count is a fraction of a second, not a slow second
    List<Long> perSecond = List.of(100L, 100L, 100L, 30L);

    assertThat(SteadyState.secondsToSteady(perSecond, 3.4)).isZero();
  }

  @Test
  void aWindowWhoseLastSecondIsOffHasNoSteadyState() {
    List<Long> perSecond = List.of(100L, 100L, 100L, 100L, 40L);

    assertThat(SteadyState.secondsToSteady(perSecond, 5.0)).isEqualTo(-1);
  }

  @Test
  void aWindowOfLessThanTwoWholeSecondsHasNoSteadyState() {
    assertThat(SteadyState.secondsToSteady(List.of(500L, 20L), 1.5)).isEqualTo(-1);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(SteadyState.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(SteadyState.median(new double[] {5, 1, 3})).isEqualTo(3);
  }
}
