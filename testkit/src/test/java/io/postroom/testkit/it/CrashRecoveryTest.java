package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A dispatcher process killed or stopped mid-run, and another started: no job lost, duplicates
 * bounded. Duplicates are counted from the messages the relay stored (their Message-IDs, one per
 * job and the same on every attempt) and matched against the SENT events, not taken from the
 * relay's own tally.
 */
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

  /** Copies per Message-ID of the messages the relay stored, read from the messages themselves. */
  private static Map<String, Long> copiesByMessageId(SmtpRelay relay) {
    return relay.received().stream()
        .collect(Collectors.groupingBy(ReceivedMail::messageId, Collectors.counting()));
  }

  /** Messages stored beyond the first copy of their Message-ID: the duplicates the recipients see. */
  private static long extraCopies(Map<String, Long> copies) {
    return copies.values().stream().mapToLong(n -> n - 1).sum();
  }

  private static Set<String> sentMessageIds(Collection<StatusEvent> events) {
    return events.stream().filter(e -> e.state() == State.SENT).map(StatusEvent::messageId)
        .collect(Collectors.toSet());
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
    // every SENT event read by now was durable before the kill: the next process must not send these again
    Set<String> sentBeforeKill = sentMessageIds(pipeline.watcher().terminalEvents());
    try (DispatcherProcess second = startProcess()) {
      OutcomeWatcher outcomes = pipeline.awaitFinished(JOBS, WAIT);
      assertThat(Pipeline.eventually(Duration.ofSeconds(10), () -> pipeline.uncommitted() == 0)).isTrue();

      Map<String, List<StatusEvent>> byId = outcomes.terminalById();
      assertThat(byId).hasSize(JOBS);
      assertThat(byId.values()).allSatisfy(events ->
          assertThat(events).extracting(StatusEvent::state).containsOnly(State.SENT));
      Map<String, Long> copies = copiesByMessageId(relay);
      long extra = extraCopies(copies);
      long sentTwiceAfterTheirEvent = sentBeforeKill.stream().filter(id -> copies.getOrDefault(id, 0L) > 1).count();
      int jobsWithTwoEvents = (int) byId.values().stream().filter(events -> events.size() > 1).count();
      System.out.printf("kill -9 after %d of %d jobs reported SENT: relay stored %d messages, %d distinct Message-IDs;"
              + " %d extra copies; %d jobs with a second SENT event (in-flight bound %d)%n",
          sentBeforeKill.size(), JOBS, relay.received().size(), copies.size(), extra, jobsWithTwoEvents,
          MAX_IN_FLIGHT);
      // the stored messages are exactly the jobs the status events call SENT, one Message-ID each
      assertThat(copies.keySet()).hasSize(JOBS).isEqualTo(sentMessageIds(outcomes.terminalEvents()));
      // A job is sent again only if its SENT event was not yet durable when the process died, and
      // until then it counted against the in-flight bound: at most MAX_IN_FLIGHT jobs, sent once more
      assertThat(sentTwiceAfterTheirEvent).as("jobs reported SENT before the kill and sent again").isZero();
      assertThat(extra).as("extra copies stored (in-flight bound %d)", MAX_IN_FLIGHT)
          .isLessThanOrEqualTo(MAX_IN_FLIGHT);
      assertThat(relay.count()).as("the relay's own count").isEqualTo(relay.received().size());
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
      Map<String, Long> copies = copiesByMessageId(relay);
      assertThat(copies.keySet()).hasSize(JOBS).isEqualTo(sentMessageIds(outcomes.terminalEvents()));
      assertThat(extraCopies(copies)).as("extra copies stored").isZero();
      assertThat(relay.count()).isEqualTo(JOBS);
    }
  }
}
