package io.postroom.contract.metrics;

/**
 * The dispatcher's metrics that another process reads by name: the api's dashboard (which scrapes
 * the dispatchers' {@code /metrics}) and the alert rules in {@code monitoring/}. A rename here is a
 * rename for both sides; testkit's MonitoringTest checks the monitoring files against a running
 * dispatcher.
 */
public final class DispatcherMetricNames {
  /** 1 while the relay's circuit is closed; its absence means no dispatcher is scraped. */
  public static final String RELAY_UP = "postroom_relay_up";
  /** {@link CircuitState#gaugeValue()} of the relay's worst-off instance. */
  public static final String RELAY_CIRCUIT_STATE = "postroom_relay_circuit_state";
  /** Messages per second the process may send to the relay now (NaN: no limit in effect). */
  public static final String RELAY_RATE_LIMIT = "postroom_relay_rate_limit";
  /** Send times by relay and outcome, with quantiles. */
  public static final String SEND_SECONDS = "postroom_send_seconds";

  private DispatcherMetricNames() {
  }
}
