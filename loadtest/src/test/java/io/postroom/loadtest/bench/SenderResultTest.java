package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SenderResultTest {

  private static SenderResult ran(List<Long> perSecond) {
    long sent = perSecond.stream().mapToLong(Long::longValue).sum();
    return new SenderResult("s", sent, 0, perSecond.size(), 0, new double[3], perSecond, 0, 0, 1.0,
        Double.NaN, 0, java.util.Map.of(), "");
  }

  @Test
  void steadyRateIsTheMeanOfTheSecondHalfWithoutTheLastPartialSecond() {
    SenderResult result = ran(List.of(10L, 20L, 30L, 100L, 110L, 120L, 5L));

    assertThat(result.steadyMessagesPerSecond()).isEqualTo(110.0);
  }

  @Test
  void itsTimeToSteadyComesFromItsPerSecondCounts() {
    SenderResult result = ran(List.of(10L, 100L, 100L, 100L));

    assertThat(result.secondsToSteady()).isEqualTo(1);
    assertThat(result.toJson().getInteger("secondsToSteady")).isEqualTo(1);
  }

  @Test
  void aRunTooShortToHaveHalvesReportsItsWholeRate() {
    SenderResult result = ran(List.of(10L, 20L));

    assertThat(result.steadyMessagesPerSecond()).isEqualTo(result.messagesPerSecond());
  }
}
