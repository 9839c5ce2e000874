package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.dispatcher.Dispatcher;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POSTROOM_RATE_LIMIT holds for the whole consumer group, whether one dispatcher sends or two share
 * the partitions: no 30-second window of the run holds more than R a second allows (give or take
 * the sends the relay connections hold, see {@link #atMost}), and the window measured holds R a second
 * for every second this JVM ran (see {@link #atLeast}). R is far below what this machine can send, so
 * only a wrong limit can fail the test, not a slow machine.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class RateLimitTest {
  private static final int RATE = 20;
  private static final Duration WINDOW = Duration.ofSeconds(30);
  /** Left out at the start: the first permit of each instance comes at once. */
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final int JOBS = (int) (RATE * (SETTLE.toSeconds() + WINDOW.toSeconds() + 4));
  /** Relay connections (POSTROOM_RELAY_POOL_SIZE) and instances (POSTROOM_DISPATCHER_INSTANCES) per dispatcher. */
  private static final int POOL_SIZE = 8;
  private static final int INSTANCES = 2;
  private static final Pattern RATE_GAUGE = Pattern.compile("postroom_relay_rate_limit\\{relay=\"primary\"} (\\S+)");
  private Pipeline pipeline;
  private Stalls stalls;

  @BeforeEach
  void watchStalls() {
    stalls = Stalls.start();
  }

  @AfterEach
  void tearDown() {
    stalls.close();
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private Pipeline limitedPipeline(Vertx vertx, String label) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create(label).relay(relay);
    pipeline.settings.env("POSTROOM_RATE_LIMIT", Integer.toString(RATE))
        .env("POSTROOM_RELAY_POOL_SIZE", Integer.toString(POOL_SIZE))
        .env("POSTROOM_DISPATCHER_INSTANCES", Integer.toString(INSTANCES));
    return pipeline;
  }

  private void publishJobs() {
    pipeline.publish(IntStream.range(0, JOBS)
        .mapToObj(i -> SampleJobs.valid("rate-" + i, "billing", "citizen" + i + "@example.org")).toList());
  }

  /**
   * The most sends a window may hold. Sends are counted by their SENT events' times, taken at the
   * relay's reply: a send whose permit came before the window can end inside it, and after a stall
   * the permits already reserved fire together. Either needs a job holding a relay connection, so
   * that is at most POOL_SIZE per dispatcher; and each instance's limiter starts with one permit.
   */
  private static long atMost(int dispatchers, Duration window) {
    return RATE * window.toSeconds() + (long) dispatchers * (POOL_SIZE + INSTANCES);
  }

  /**
   * The fewest sends the window may hold: R for every second this JVM (the dispatchers and the relay
   * run in it) was not stalled, since a stall costs a paced limiter at most its length in permits
   * ({@link Stalls}); less the sends still waiting for the relay's reply at the window's end, at most
   * POOL_SIZE per dispatcher.
   */
  private long atLeast(int dispatchers, Instant from, Instant to) {
    double running = Duration.between(from, to).minus(stalls.between(from, to)).toMillis() / 1000.0;
    return (long) Math.floor(RATE * running) - (long) dispatchers * POOL_SIZE;
  }

  private static List<Instant> sentTimes(OutcomeWatcher outcomes) {
    return outcomes.terminalEvents().stream().filter(e -> e.state() == State.SENT)
        .map(StatusEvent::at).sorted().toList();
  }

  /** The most SENT events in any window of {@link #WINDOW} that starts at or after {@code from}. */
  private static long busiestWindow(List<Instant> sent, Instant from) {
    long most = 0;
    int end = 0;
    for (int start = 0; start < sent.size(); start++) {
      if (sent.get(start).isBefore(from)) {
        continue;
      }
      Instant to = sent.get(start).plus(WINDOW);
      end = Math.max(end, start);
      while (end < sent.size() && sent.get(end).isBefore(to)) {
        end++;
      }
      most = Math.max(most, end - start);
    }
    return most;
  }

  private void assertGroupRate(OutcomeWatcher outcomes, int dispatchers) {
    List<Instant> sent = sentTimes(outcomes);
    Instant from = sent.get(0).plus(SETTLE);
    Instant to = from.plus(WINDOW);
    long inWindow = sent.stream().filter(at -> !at.isBefore(from) && at.isBefore(to)).count();
    long busiest = busiestWindow(sent, from);
    System.out.printf("rate limit %d/s, %d dispatcher(s): %d sent in the %s window (%.2f/s), this JVM stalled %s"
            + " of it; busiest %s window %d (at most %d)%n", RATE, dispatchers, inWindow, WINDOW,
        inWindow / (double) WINDOW.toSeconds(), stalls.between(from, to), WINDOW, busiest, atMost(dispatchers, WINDOW));
    assertThat(busiest).as("sends in any %s window", WINDOW).isLessThanOrEqualTo(atMost(dispatchers, WINDOW));
    assertThat(inWindow).as("sends in the %s window", WINDOW).isGreaterThanOrEqualTo(atLeast(dispatchers, from, to));
  }

  @Test
  void oneDispatcherSendsAtTheGroupLimit(Vertx vertx) {
    limitedPipeline(vertx, "rate-one").startDispatcher();

    publishJobs();
    OutcomeWatcher outcomes = pipeline.awaitFinished(JOBS, Duration.ofSeconds(90));

    assertGroupRate(outcomes, 1);
  }

  @Test
  void twoDispatchersShareTheGroupLimit(Vertx vertx) {
    limitedPipeline(vertx, "rate-two").startDispatcher();
    Dispatcher second = pipeline.startAnotherDispatcher();
    assertThat(Pipeline.eventually(Duration.ofSeconds(30), () ->
        Pipeline.readiness(pipeline.dispatcher()).getInteger("httpStatus") == 200
            && Pipeline.readiness(second).getInteger("httpStatus") == 200))
        .as("both dispatchers joined the group").isTrue();

    publishJobs();
    OutcomeWatcher outcomes = pipeline.awaitFinished(JOBS, Duration.ofSeconds(90));

    assertGroupRate(outcomes, 2);
  }

  /** The relay's effective rate from /metrics; NaN while no limit is in effect. */
  private double relayRate() {
    Matcher m = RATE_GAUGE.matcher(pipeline.metrics());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void aRelayThatAnswers451ForAWhileIsSentToMoreSlowlyAndEveryJobStillEnds(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().transientMailFromFailures(20).build());
    pipeline = Pipeline.create("slow-down").relay(relay);
    pipeline.settings.env("POSTROOM_RATE_LIMIT", "50").dispatch("maxAttempts", 10);
    pipeline.startDispatcher();

    pipeline.publish(IntStream.range(0, 300)
        .mapToObj(i -> SampleJobs.valid("slow-" + i, "billing", "citizen" + i + "@example.org")).toList());

    assertThat(Pipeline.eventually(Duration.ofSeconds(30), () -> relayRate() < 50))
        .as("the rate went below the limit after the 451s").isTrue();
    OutcomeWatcher outcomes = pipeline.awaitFinished(300, Duration.ofSeconds(90));
    assertThat(outcomes.terminalCounts()).containsExactly(java.util.Map.entry(State.SENT, 300));
    assertThat(relay.distinctMessageIds()).hasSize(300);
    assertThat(pipeline.metrics()).containsPattern("postroom_relay_slow_down_total\\{relay=\"primary\"} [1-9]");
  }
}
