package io.postroom.contract.metrics;

/**
 * A relay's circuit breaker as a dispatcher reports it: in its readiness document (the name), in
 * the gauge {@code postroom_relay_circuit_state} (the {@link #gaugeValue()}), and as the api's
 * dashboard shows it (the {@link #label()}). The gauge values are the contract, not the order of
 * the constants.
 */
public enum CircuitState {
  /** Closed: the relay takes mail. */
  UP(0, "closed (UP)", 0),
  /** Open: held after relay-level failures; nothing is sent to it. */
  DOWN(1, "open (DOWN)", 2),
  /** Half-open: one probe send decides whether it closes again. */
  PROBING(2, "half-open (PROBING)", 1);

  private final int gaugeValue;
  private final String label;
  private final int severity;

  CircuitState(int gaugeValue, String label, int severity) {
    this.gaugeValue = gaugeValue;
    this.label = label;
    this.severity = severity;
  }

  /** The value of {@code postroom_relay_circuit_state}. */
  public int gaugeValue() {
    return gaugeValue;
  }

  /** How a person reads it: "closed (UP)", "open (DOWN)", "half-open (PROBING)". */
  public String label() {
    return label;
  }

  /** How bad it is for sending: UP 0, PROBING 1, DOWN 2 (several instances report the worst). */
  public int severity() {
    return severity;
  }

  /** The state a gauge value stands for, or null for a value no dispatcher writes. */
  public static CircuitState ofGauge(double value) {
    for (CircuitState state : values()) {
      if (state.gaugeValue == value) {
        return state;
      }
    }
    return null;
  }
}
