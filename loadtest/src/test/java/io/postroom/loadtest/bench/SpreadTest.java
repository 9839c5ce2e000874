package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void theMedianAndRangeOfTheRepetitions() {
    Spread spread = Spread.of(List.of(1200.0, 900.0, 1500.0, 1000.0, 1100.0));

    assertThat(spread).isEqualTo(new Spread(1100, 900, 1500, 5));
    assertThat(spread.format("%,.0f")).isEqualTo("1,100 (900–1,500)");
  }

  @Test
  void valuesNotMeasuredAreLeftOut() {
    Spread spread = Spread.of(List.of(Double.NaN, 3.0, 1.0));

    assertThat(spread).isEqualTo(new Spread(2, 1, 3, 2));
  }

  @Test
  void oneRepetitionHasNoRangeAndNoneIsADash() {
    assertThat(Spread.of(List.of(7.0)).format("%.0f")).isEqualTo("7");
    assertThat(Spread.of(List.of(Double.NaN)).format("%.0f")).isEqualTo("-");
  }
}
