package io.postroom.testkit.it;

import static io.postroom.testkit.it.Pipeline.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.dispatcher.redrive.RedriveCommand;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code bin/postroom redrive} against a real broker and dispatcher: jobs whose attempts ran out
 * while the relay refused everything are dead-lettered, and re-driven once the relay is healthy.
 * The command runs in this JVM through {@link RedriveCommand#run}, with the dispatcher's environment.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class RedriveTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private Pipeline pipeline;

  /** What one run of the command printed, and its exit code. */
  private record Run(int exitCode, String out, String err) {
  }

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** A dispatcher whose relay answers 451 to every MAIL FROM: each of {@code jobs} ends FAILED and dead-lettered. */
  private OutcomeWatcher deadLettered(Vertx vertx, String label, int jobs) {
    SmtpRelay refusing = Pipeline.startRelay(vertx, Pipeline.relayOptions().transientMailFromFailures(1_000_000).build());
    pipeline = Pipeline.create(label).relay(refusing);
    pipeline.settings.dispatch("maxAttempts", 2);
    // 451 is a request to slow down: without a limit the relay's rate falls to 1/s; with one, not below 5 % of it
    pipeline.settings.env("POSTROOM_RATE_LIMIT", "1000");
    pipeline.startDispatcher();
    pipeline.publish(IntStream.range(0, jobs)
        .mapToObj(i -> SampleJobs.valid(label + "-" + i, "billing", "citizen" + i + "@example.org")).toList());
    OutcomeWatcher outcomes = pipeline.awaitFinished(jobs, WAIT);
    assertThat(outcomes.terminalCounts()).containsExactly(java.util.Map.entry(State.FAILED, jobs));
    assertThat(eventually(Duration.ofSeconds(10), () -> outcomes.deadLetters().size() == jobs))
        .as("%d dead letters", jobs).isTrue();
    assertThat(outcomes.deadLetters()).extracting(OutcomeWatcher.DeadLetter::code).containsOnly("RETRIES_EXHAUSTED");
    return outcomes;
  }

  private Run redrive(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode = RedriveCommand.run(List.of(args), pipeline.settings.environment(pipeline.dir()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Records in the jobs topic: reads until one more than {@code expected} arrived or a short while passed. */
  private int jobRecords(int expected) {
    return pipeline.broker.readAll(pipeline.topics.jobs(), expected + 1, Duration.ofSeconds(3)).size();
  }

  @Test
  void deadLettersReDrivenAfterTheRelayRecoveredAreEachSentOnce(Vertx vertx) {
    OutcomeWatcher outcomes = deadLettered(vertx, "redrive", 20);
    SmtpRelay healthy = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline.stopDispatcher().relay(healthy).startDispatcher();

    Run run = redrive("--code", "RETRIES_EXHAUSTED");
    pipeline.awaitFinished(40, WAIT);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("RETRIES_EXHAUSTED: 20 re-driven", "total: 20 re-driven");
    assertThat(outcomes.terminalCounts()).containsEntry(State.FAILED, 20).containsEntry(State.SENT, 20);
    assertThat(outcomes.terminalEvents()).filteredOn(e -> e.state() == State.SENT).extracting(StatusEvent::id)
        .doesNotHaveDuplicates().hasSize(20);
    assertThat(healthy.count()).isEqualTo(20);
    assertThat(healthy.distinctMessageIds()).hasSize(20);
  }

  @Test
  void aCodeThatNoDeadLetterHasReDrivesNothing(Vertx vertx) {
    deadLettered(vertx, "redrive-none", 5);

    Run run = redrive("--code", "EXPIRED");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("total: 0 re-driven" + System.lineSeparator());
    assertThat(jobRecords(5)).isEqualTo(5);
  }

  @Test
  void aDryRunListsWhatItWouldReDriveAndPublishesNothing(Vertx vertx) {
    deadLettered(vertx, "redrive-dry", 5);

    Run run = redrive("--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().filter(line -> line.startsWith("would re-drive "))).hasSize(5);
    assertThat(run.out()).contains("RETRIES_EXHAUSTED: 5 would be re-driven",
        "total: 5 would be re-driven (dry run: nothing published)");
    assertThat(jobRecords(5)).isEqualTo(5);
  }
}
