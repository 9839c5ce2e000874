package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.State;
import io.postroom.api.StatusEvent;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A dispatcher process killed or stopped mid-run, and another started: no job lost, duplicates bounded. */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class CrashRecoveryTest {
  private static final int JOBS = 3_000;
  private static final int MAX_IN_FLIGHT = 64;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private SmtpRelay slowRelay(Vertx vertx) {
    // a little latency per message so that the run lasts long enough to be interrupted
    return Pipeline.startRelay(vertx, Pipeline.relayOptions().latency(".", Duration.ofMillis(5)).build());
  }

  private DispatcherProcess startProcess() {
    return DispatcherProcess.start(pipeline.settings, pipeline.dir(), Duration.ofSeconds(60));
  }

  private void publishJobs() {
    pipeline.publish(IntStream.range(0, JOBS)
        .mapToObj(i -> SampleJobs.valid("job-" + i, "billing", "citizen" + i + "@example.org")).toList());
  }

  private static int deliveredTwice(SmtpRelay relay) {
    Map<String, Long> copies = relay.received().stream()
        .collect(Collectors.groupingBy(ReceivedMail::messageId, Collectors.counting()));
    return (int) copies.values().stream().filter(n -> n > 1).count();
  }

  @Test
  @SuppressWarnings("try") // the second process only has to run while the body waits
  void killedMidRunThenRestartedEveryJobEndsAndDuplicatesStayWithinTheInFlightBound(Vertx vertx) throws Exception {
    SmtpRelay relay = slowRelay(vertx);
    pipeline = Pipeline.create("kill9").relay(relay);
    pipeline.settings.dispatch("maxInFlight", MAX_IN_FLIGHT)
        // the killed member holds its partitions until its session times out (45 s by default)
        .kafkaProperty("session.timeout.ms", "8000").kafkaProperty("heartbeat.interval.ms", "1000");
    publishJobs();

    try (DispatcherProcess first = startProcess()) {
      assertThat(Pipeline.eventually(WAIT, () -> pipeline.watcher().finished() >= JOBS / 3)).isTrue();
      first.kill();
    }
    int finishedBeforeKill = pipeline.watcher().finished();
    try (DispatcherProcess second = startProcess()) {
      OutcomeWatcher outcomes = pipeline.awaitFinished(JOBS, WAIT);
      assertThat(Pipeline.eventually(Duration.ofSeconds(10), () -> pipeline.uncommitted() == 0)).isTrue();

      Map<String, List<StatusEvent>> byId = outcomes.terminalById();
      assertThat(byId).hasSize(JOBS);
      assertThat(byId.values()).allSatisfy(events ->
          assertThat(events).extracting(StatusEvent::state).containsOnly(State.SENT));
      int twice = deliveredTwice(relay);
      int jobsWithTwoEvents = (int) byId.values().stream().filter(events -> events.size() > 1).count();
      System.out.printf("kill -9 after %d of %d jobs finished: relay got %d messages, %d distinct;"
              + " %d delivered twice; %d jobs with a second SENT event (in-flight bound %d)%n",
          finishedBeforeKill, JOBS, relay.count(), relay.distinctMessageIds().size(), twice, jobsWithTwoEvents,
          MAX_IN_FLIGHT);
      assertThat(relay.distinctMessageIds()).hasSize(JOBS);
      assertThat(twice).isLessThanOrEqualTo(MAX_IN_FLIGHT + 500);
      assertThat(relay.count()).isEqualTo(JOBS + relay.received().size() - relay.distinctMessageIds().size());
    }
  }

  @Test
  @SuppressWarnings("try")
  void stoppedWithSigtermItDrainsCommitsAndTheNextOneSendsNothingTwice(Vertx vertx) throws Exception {
    SmtpRelay relay = slowRelay(vertx);
    pipeline = Pipeline.create("sigterm").relay(relay);
    pipeline.settings.dispatch("maxInFlight", MAX_IN_FLIGHT);
    publishJobs();

    try (DispatcherProcess first = startProcess()) {
      assertThat(Pipeline.eventually(WAIT, () -> pipeline.watcher().finished() >= JOBS / 3)).isTrue();
      assertThat(first.stop(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
    }
    try (DispatcherProcess second = startProcess()) {
      OutcomeWatcher outcomes = pipeline.awaitFinished(JOBS, WAIT);

      assertThat(outcomes.terminalById()).hasSize(JOBS)
          .allSatisfy((id, events) -> assertThat(events).hasSize(1));
      assertThat(deliveredTwice(relay)).isZero();
      assertThat(relay.count()).isEqualTo(JOBS);
    }
  }
}
