package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpansionRateTest {

  @Test
  void theWindowRunsFromTheEarliestFirstRecordToTheLatestLastRecordOfAnyPartition() {
    ExpansionRate rate = ExpansionRate.of(200_001, List.of(new ExpansionRate.Span(1_000, 4_000),
        new ExpansionRate.Span(1_010, 5_000), new ExpansionRate.Span(990, 4_500)));

    assertThat(rate.firstMillis()).isEqualTo(990);
    assertThat(rate.lastMillis()).isEqualTo(5_000);
    assertThat(rate.seconds()).isEqualTo(4.01, within(1e-9));
  }

  @Test
  void theRateCountsTheIntervalsBetweenTheRecords() {
    ExpansionRate rate = new ExpansionRate(200_001, 0, 4_000);

    assertThat(rate.perSecond()).isEqualTo(50_000, within(1e-6));
    assertThat(rate.microsPerRecipient()).isEqualTo(20, within(1e-9));
  }

  @Test
  void oneRecordOrNoneHasNoRate() {
    assertThat(ExpansionRate.of(0, List.of()).perSecond()).isNaN();
    assertThat(new ExpansionRate(1, 5, 5).perSecond()).isNaN();
  }
}
