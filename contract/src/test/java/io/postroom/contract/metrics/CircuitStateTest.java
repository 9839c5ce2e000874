package io.postroom.contract.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CircuitStateTest {

  @Test
  void eachGaugeValueReadsBackAsTheStateThatWroteIt() {
    for (CircuitState state : CircuitState.values()) {
      assertThat(CircuitState.ofGauge(state.gaugeValue())).isEqualTo(state);
    }
  }

  @Test
  void theGaugeValuesAreTheDocumentedOnesWhateverTheOrderOfTheConstants() {
    assertThat(CircuitState.UP.gaugeValue()).isZero();
    assertThat(CircuitState.DOWN.gaugeValue()).isEqualTo(1);
    assertThat(CircuitState.PROBING.gaugeValue()).isEqualTo(2);
  }

  @Test
  void aValueNoDispatcherWritesIsNoState() {
    assertThat(CircuitState.ofGauge(3)).isNull();
    assertThat(CircuitState.ofGauge(Double.NaN)).isNull();
  }

  @Test
  void downIsWorseThanProbingWhichIsWorseThanUp() {
    assertThat(CircuitState.DOWN.severity()).isGreaterThan(CircuitState.PROBING.severity());
    assertThat(CircuitState.PROBING.severity()).isGreaterThan(CircuitState.UP.severity());
  }
}
