package io.postroom.dispatcher.ops;

import io.postroom.contract.metrics.CircuitState;
import io.postroom.contract.metrics.DispatcherMetricNames;
import io.micrometer.core.instrument.Counter;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.metrics.ComplianceMetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.postroom.contract.ErrorCode;
import io.postroom.contract.State;
import io.postroom.dispatcher.ratelimit.MessageRate;
import io.postroom.dispatcher.ratelimit.RateLimits;
import io.postroom.dispatcher.relay.Relay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Postroom's own meters, one set per process whatever the number of dispatcher instances in it:
 * counters are shared (Micrometer's are thread-safe), gauges add up, or for a relay's circuit
 * take the worst, over the instances that {@link #instance registered}. The Vert.x mail pool is not
 * instrumented by Vert.x, so sends, replies and relay health are counted here. Every name is
 * documented in docs/metrics.md (k8s's DocumentationTest checks it).
 *
 * <p>Meters on the path of every job are looked up once and kept: a builder and a registry look-up
 * per job cost more than the increment.
 */
public final class DispatcherMetrics {
  private final MeterRegistry registry;
  private final List<Instance> instances = new CopyOnWriteArrayList<>();
  private final Map<State, Counter> jobStates = new ConcurrentHashMap<>();
  private final Map<String, Counter> moves = new ConcurrentHashMap<>();
  private final Map<ErrorCode, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Map<AttemptKey, Timer> sends = new ConcurrentHashMap<>();
  private final Map<ReplyKey, Counter> replies = new ConcurrentHashMap<>();
  private final Map<String, Counter> slowDowns = new ConcurrentHashMap<>();
  private final Map<String, Counter> suppressed = new ConcurrentHashMap<>();
  private final Counter redelivered;
  private final Counter expanded;
  private final Counter commits;
  private final Counter commitFailures;

  /** What one dispatcher instance shows: its flow of records and its view of each relay. */
  public interface Instance {
    int inFlight();

    int pausedPartitions();

    int assignedPartitions();

    int waitingPartitions();

    int heldRecords();

    List<Relay> relays();

    RateLimits rateLimits();
  }

  private record AttemptKey(String relay, String outcome) {
  }

  private record ReplyKey(String relay, String code) {
  }

  /** @param relays the configured relays' names, in configuration order */
  public DispatcherMetrics(MeterRegistry registry, List<String> relays) {
    this.registry = registry;
    redelivered = Counter.builder("postroom_redelivered_total")
        .description("Records read again whose job was already sent and reported: skipped, not sent twice")
        .register(registry);
    expanded = Counter.builder("postroom_bulk_recipients_expanded_total")
        .description("Recipients of bulk records written to the recipients topic as jobs of their own")
        .register(registry);
    commits = Counter.builder("postroom_offset_commits_total").description("Offset commits (per partition)")
        .register(registry);
    commitFailures = Counter.builder("postroom_offset_commit_failures_total").description("Failed offset commits")
        .register(registry);
    flowGauges();
    relays.forEach(this::relayGauges);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A dispatcher instance whose gauges count from now on. */
  public void instance(Instance instance) {
    instances.add(instance);
  }

  /** A stopped instance's gauges count no more. */
  public void removeInstance(Instance instance) {
    instances.remove(instance);
  }

  /** A job reached a state (terminal ones once per job; RETRYING once per retried attempt). */
  public void jobState(State state) {
    jobStates.computeIfAbsent(state, s -> Counter.builder("postroom_jobs_total").description("Jobs by the state they reached")
        .tag("state", s.name()).register(registry)).increment();
  }

  /** A record read again after a crash or rebalance whose outcome was already published. */
  /** A recipient left out of a send because its tenant suppressed it. */
  public void suppressed(String tenant, SuppressionReason reason) {
    suppressed.computeIfAbsent(tenant + "|" + reason, k -> Counter.builder(ComplianceMetricNames.SUPPRESSED_RECIPIENTS)
        .description("Recipients left out of a send because their tenant suppressed them")
        .tag("tenant", tenant).tag("reason", reason.name()).register(registry)).increment();
  }

  public void redelivered() {
    redelivered.increment();
  }

  /** Recipients of a bulk record written to the recipients topic as jobs of their own. */
  public void expanded(int recipients) {
    expanded.increment(recipients);
  }

  /** A job written to wait out of memory: "retry" (a retry tier, until due) or "lane" (its lane topic). */
  public void moved(String to) {
    moves.computeIfAbsent(to, t -> Counter.builder("postroom_jobs_moved_total")
        .description("Jobs written to a retry tier (to=retry) or a lane topic (to=lane) to wait without memory")
        .tag("to", t).register(registry)).increment();
  }

  public void deadLettered(ErrorCode code) {
    deadLetters.computeIfAbsent(code, c -> Counter.builder("postroom_dead_letters_total")
        .description("Records written to the dead-letter topic").tag("code", c.name()).register(registry)).increment();
  }

  /** One send attempt and how it ended: "sent", "permanent", "transient" or "relay". */
  public void attempt(String relay, String outcome, Integer smtpCode, Duration elapsed) {
    sends.computeIfAbsent(new AttemptKey(relay, outcome), key -> Timer.builder(DispatcherMetricNames.SEND_SECONDS)
        .description("Duration of one send attempt to a relay")
        .tag("relay", key.relay()).tag("outcome", key.outcome())
        .publishPercentiles(0.5, 0.99).publishPercentileHistogram(false)
        .register(registry)).record(elapsed);
    String code = smtpCode == null ? "none" : smtpCode.toString();
    replies.computeIfAbsent(new ReplyKey(relay, code), key -> Counter.builder("postroom_smtp_replies_total")
        .description("Final SMTP reply codes by relay")
        .tag("relay", key.relay()).tag("code", key.code()).register(registry)).increment();
  }

  private void relayGauges(String relay) {
    Gauge.builder(DispatcherMetricNames.RELAY_UP, this, m -> m.worstCircuit(relay) == CircuitState.UP ? 1 : 0)
        .description("1 while the relay's circuit is closed, 0 while it is open or half-open")
        .tag("relay", relay).register(registry);
    Gauge.builder(DispatcherMetricNames.RELAY_CIRCUIT_STATE, this, m -> m.worstCircuit(relay).gaugeValue())
        .description("The relay's circuit breaker: 0 closed (UP), 1 open (DOWN), 2 half-open (PROBING)")
        .tag("relay", relay).register(registry);
    FunctionCounter.builder("postroom_relay_circuit_openings_total", this,
            m -> m.sumOverRelays(relay, r -> r.health().openings()))
        .description("How often the relay's circuit opened after relay-level failures")
        .tag("relay", relay).register(registry);
    Gauge.builder(DispatcherMetricNames.RELAY_RATE_LIMIT, this, m -> m.rateLimit(relay))
        .description("Messages per second this process may send to the relay now (NaN: no limit in effect)")
        .tag("relay", relay).register(registry);
  }

  /** The relay's circuit as the worst-off instance sees it: DOWN before PROBING before UP. */
  private CircuitState worstCircuit(String relay) {
    CircuitState worst = CircuitState.UP;
    for (Instance instance : instances) {
      for (Relay r : instance.relays()) {
        if (r.name().equals(relay) && r.health().state().severity() > worst.severity()) {
          worst = r.health().state();
        }
      }
    }
    return worst;
  }

  private double sumOverRelays(String relay, ToDoubleFunction<Relay> value) {
    double sum = 0;
    for (Instance instance : instances) {
      for (Relay r : instance.relays()) {
        if (r.name().equals(relay)) {
          sum += value.applyAsDouble(r);
        }
      }
    }
    return sum;
  }

  private double rateLimit(String relay) {
    double sum = 0;
    boolean limited = false;
    for (Instance instance : instances) {
      Optional<MessageRate> rate = instance.rateLimits().relayRate(relay);
      if (rate.isPresent()) {
        limited = true;
        sum += rate.get().perSecond();
      }
    }
    return limited ? sum : Double.NaN;
  }

  /** The relay asked us to send more slowly (421, 450, 451, 452, "too many"). */
  public void slowDown(String relay) {
    slowDowns.computeIfAbsent(relay, r -> Counter.builder("postroom_relay_slow_down_total")
        .description("Replies asking to send more slowly; each lowers the relay's rate (at most once a second)")
        .tag("relay", r).register(registry)).increment();
  }

  private void flowGauges() {
    Gauge.builder("postroom_jobs_in_flight", this, m -> m.sum(Instance::inFlight))
        .description("Jobs received and not yet finished").register(registry);
    Gauge.builder("postroom_partitions_paused", this, m -> m.sum(Instance::pausedPartitions))
        .description("Assigned partitions paused: for backpressure, relay trouble, or a head record that waits")
        .register(registry);
    Gauge.builder("postroom_partitions_assigned", this, m -> m.sum(Instance::assignedPartitions))
        .description("Partitions assigned to this process (jobs, retry and lane topics)").register(registry);
    Gauge.builder("postroom_partitions_waiting", this, m -> m.sum(Instance::waitingPartitions))
        .description("Retry or lane partitions paused until their head record is due or its lane has room")
        .register(registry);
    Gauge.builder("postroom_records_held", this, m -> m.sum(Instance::heldRecords))
        .description("Records fetched for waiting partitions and held, not worked on (at most a poll's worth each)")
        .register(registry);
    Gauge.builder("postroom_dispatcher_instances", instances, List::size)
        .description("Dispatcher instances (verticles, each with its own event loop and consumer) in this process")
        .register(registry);
  }

  private double sum(ToDoubleFunction<Instance> value) {
    double sum = 0;
    for (Instance instance : instances) {
      sum += value.applyAsDouble(instance);
    }
    return sum;
  }

  public void committed(int partitions) {
    commits.increment(partitions);
  }

  public void commitFailed() {
    commitFailures.increment();
  }
}
