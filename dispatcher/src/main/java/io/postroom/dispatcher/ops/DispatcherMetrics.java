package io.postroom.dispatcher.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.postroom.api.ErrorCode;
import io.postroom.api.State;
import io.postroom.dispatcher.ratelimit.MessageRate;
import io.postroom.dispatcher.ratelimit.RateLimits;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.RelayHealth;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Postroom's own meters. The Vert.x mail pool is not instrumented by Vert.x, so sends, replies
 * and relay health are counted here. Every name is documented in the README.
 */
public final class DispatcherMetrics {
  private final MeterRegistry registry;

  public DispatcherMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A job reached a state (terminal ones once per job; RETRYING once per retried attempt). */
  public void jobState(State state) {
    Counter.builder("postroom_jobs_total").description("Jobs by the state they reached")
        .tag("state", state.name()).register(registry).increment();
  }

  /** A record read again after a crash or rebalance whose outcome was already published. */
  public void redelivered() {
    Counter.builder("postroom_redelivered_total")
        .description("Records read again whose job was already sent and reported: skipped, not sent twice")
        .register(registry).increment();
  }

  /** A job written to wait out of memory: "retry" (a retry tier, until due) or "lane" (its lane topic). */
  public void moved(String to) {
    Counter.builder("postroom_jobs_moved_total")
        .description("Jobs written to a retry tier (to=retry) or a lane topic (to=lane) to wait without memory")
        .tag("to", to).register(registry).increment();
  }

  public void deadLettered(ErrorCode code) {
    Counter.builder("postroom_dead_letters_total").description("Records written to the dead-letter topic")
        .tag("code", code.name()).register(registry).increment();
  }

  /** One send attempt and how it ended: "sent", "permanent", "transient" or "relay". */
  public void attempt(String relay, String outcome, Integer smtpCode, Duration elapsed) {
    Timer.builder("postroom_send_seconds").description("Duration of one send attempt to a relay")
        .tag("relay", relay).tag("outcome", outcome)
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false)
        .register(registry).record(elapsed);
    Counter.builder("postroom_smtp_replies_total").description("Final SMTP reply codes by relay")
        .tag("relay", relay).tag("code", smtpCode == null ? "none" : smtpCode.toString())
        .register(registry).increment();
  }

  public void relays(List<Relay> relays) {
    for (Relay relay : relays) {
      Gauge.builder("postroom_relay_up", relay, r -> r.health().state() == RelayHealth.State.UP ? 1 : 0)
          .description("1 while the relay's circuit is closed, 0 while it is open or half-open")
          .tag("relay", relay.name()).register(registry);
      Gauge.builder("postroom_relay_circuit_state", relay, r -> r.health().state().ordinal())
          .description("The relay's circuit breaker: 0 closed (UP), 1 open (DOWN), 2 half-open (PROBING)")
          .tag("relay", relay.name()).register(registry);
      FunctionCounter.builder("postroom_relay_circuit_openings_total", relay, r -> r.health().openings())
          .description("How often the relay's circuit opened after relay-level failures")
          .tag("relay", relay.name()).register(registry);
    }
  }

  /** The relay asked us to send more slowly (421, 450, 451, 452, "too many"). */
  public void slowDown(String relay) {
    Counter.builder("postroom_relay_slow_down_total")
        .description("Replies asking to send more slowly; each lowers the relay's rate (at most once a second)")
        .tag("relay", relay).register(registry).increment();
  }

  /** The rate each relay is sent at now: its share of the group limit, lowered while it pushes back. */
  public void rates(List<Relay> relays, RateLimits limits) {
    for (Relay relay : relays) {
      Gauge.builder("postroom_relay_rate_limit", limits,
              l -> l.relayRate(relay.name()).map(MessageRate::perSecond).orElse(Double.NaN))
          .description("Messages per second this instance may send to the relay now (NaN: no limit in effect)")
          .tag("relay", relay.name()).register(registry);
    }
  }

  public void inFlight(Supplier<Number> inFlight, Supplier<Number> pausedPartitions, Supplier<Number> assignedPartitions,
      Supplier<Number> waitingPartitions, Supplier<Number> heldRecords) {
    Gauge.builder("postroom_jobs_in_flight", inFlight).description("Jobs received and not yet finished")
        .register(registry);
    Gauge.builder("postroom_partitions_paused", pausedPartitions)
        .description("Assigned partitions paused: for backpressure, relay trouble, or a head record that waits")
        .register(registry);
    Gauge.builder("postroom_partitions_assigned", assignedPartitions)
        .description("Partitions assigned to this instance (jobs, retry and lane topics)").register(registry);
    Gauge.builder("postroom_partitions_waiting", waitingPartitions)
        .description("Retry or lane partitions paused until their head record is due or its lane has room")
        .register(registry);
    Gauge.builder("postroom_records_held", heldRecords)
        .description("Records fetched for waiting partitions and held, not worked on (at most a poll's worth each)")
        .register(registry);
  }

  public void committed(int partitions) {
    Counter.builder("postroom_offset_commits_total").description("Offset commits (per partition)")
        .register(registry).increment(partitions);
  }

  public void commitFailed() {
    Counter.builder("postroom_offset_commit_failures_total").description("Failed offset commits")
        .register(registry).increment();
  }
}
