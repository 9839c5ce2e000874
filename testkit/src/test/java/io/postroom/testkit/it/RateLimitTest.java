package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.State;
import io.postroom.api.StatusEvent;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * POSTROOM_RATE_LIMIT holds for the whole consumer group: the relay gets R messages a second, within
 * 10 %, over 30 s, whether one dispatcher sends or two share the partitions. R is far below what
 * this machine can send, so only a wrong limit can fail the test, not a slow machine.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class RateLimitTest {
  private static final int RATE = 20;
  private static final Duration WINDOW = Duration.ofSeconds(30);
  /** Left out at the start: the first permit of each instance comes at once. */
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final int JOBS = (int) (RATE * (SETTLE.toSeconds() + WINDOW.toSeconds() + 4));
  private static final Pattern RATE_GAUGE = Pattern.compile("postroom_relay_rate_limit\\{relay=\"primary\"} (\\S+)");
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private Pipeline limitedPipeline(Vertx vertx, String label) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create(label).relay(relay);
    pipeline.settings.env("POSTROOM_RATE_LIMIT", Integer.toString(RATE));
    return pipeline;
  }

  private void publishJobs() {
    pipeline.publish(IntStream.range(0, JOBS)
        .mapToObj(i -> SampleJobs.valid("rate-" + i, "billing", "citizen" + i + "@example.org")).toList());
  }

  /** Messages per second the relay got over the window, from the SENT events' times. */
  private double measuredRate(OutcomeWatcher outcomes) {
    List<Instant> sent = outcomes.terminalEvents().stream().filter(e -> e.state() == State.SENT)
        .map(StatusEvent::at).sorted().toList();
    Instant from = sent.get(0).plus(SETTLE);
    Instant to = from.plus(WINDOW);
    long inWindow = sent.stream().filter(at -> !at.isBefore(from) && at.isBefore(to)).count();
    return inWindow / (double) WINDOW.toSeconds();
  }

  @Test
  void oneDispatcherSendsAtTheGroupLimit(Vertx vertx) {
    limitedPipeline(vertx, "rate-one").startDispatcher();

    publishJobs();
    OutcomeWatcher outcomes = pipeline.awaitFinished(JOBS, Duration.ofSeconds(90));

    double rate = measuredRate(outcomes);
    System.out.printf("rate limit %d/s, one dispatcher: %.2f/s over %s%n", RATE, rate, WINDOW);
    assertThat(rate).isBetween(RATE * 0.9, RATE * 1.1);
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

    double rate = measuredRate(outcomes);
    System.out.printf("rate limit %d/s, two dispatchers: %.2f/s over %s%n", RATE, rate, WINDOW);
    assertThat(rate).isBetween(RATE * 0.9, RATE * 1.1);
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
