package io.postroom.contract.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exit codes and last lines of a process's bounded start and stop (signals are the fault tests'). */
class ProcessLifeTest {
  private static final Duration BOUND = Duration.ofMillis(200);

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void captureStderr() {
    stderr = System.err;
    System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(stderr);
  }

  private static ProcessLife stoppingWith(Supplier<CompletionStage<?>> stop) {
    return new ProcessLife(stop, BOUND, () -> "did not stop within the bound");
  }

  private static ProcessLife stoppingAtOnce() {
    return stoppingWith(() -> CompletableFuture.completedFuture(null));
  }

  /** Stops at once, counting how often it was asked to. */
  private static ProcessLife countingStops(AtomicInteger stops) {
    return stoppingWith(() -> {
      stops.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    });
  }

  private String lastLine() {
    return printed.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void aStopThatEndsInTimeExitsWithTheCodeAskedAndPrintsNothing() {
    ProcessLife life = stoppingAtOnce();

    life.stop(0, null);

    assertThat(life.exitCode()).isZero();
    assertThat(lastLine()).isEmpty();
  }

  @Test
  void aStopWithAReasonPrintsItAsTheLastLine() {
    ProcessLife life = stoppingAtOnce();

    life.stop(1, "dispatcher stopped: Kafka is gone");

    assertThat(life.exitCode()).isEqualTo(1);
    assertThat(lastLine()).isEqualTo("postroom: dispatcher stopped: Kafka is gone");
  }

  @Test
  void aStopThatTakesLongerThanItsBoundExitsWith1AndSaysSo() {
    ProcessLife life = stoppingWith(CompletableFuture::new);

    life.stop(0, null);

    assertThat(life.exitCode()).isEqualTo(1);
    assertThat(lastLine()).isEqualTo("postroom: did not stop within the bound");
  }

  @Test
  void aStopThatFailsExitsWith1AndSaysWhy() {
    ProcessLife life = stoppingWith(() -> CompletableFuture.failedFuture(new StartFailure("the pool did not close")));

    life.stop(0, null);

    assertThat(life.exitCode()).isEqualTo(1);
    assertThat(lastLine()).isEqualTo("postroom: did not stop cleanly: the pool did not close");
  }

  @Test
  void onlyTheFirstStopCounts() throws InterruptedException {
    AtomicInteger stops = new AtomicInteger();
    ProcessLife life = countingStops(stops);

    life.stop(1, "first");
    life.stop(0, null);

    assertThat(life.exitCode()).isEqualTo(1);
    Thread.sleep(BOUND.toMillis()); // a second stop, had it started, has asked by now
    assertThat(stops).hasValue(1);
  }

  @Test
  void aFailedStartStopsTheProcessWith1AndTheFailuresSentence() {
    ProcessLife life = stoppingAtOnce();

    life.started(CompletableFuture.failedFuture(new StartFailure("cannot listen on port 8080")), "api", BOUND,
        () -> "too slow");

    assertThat(life.exitCode()).isEqualTo(1);
    assertThat(lastLine()).isEqualTo("postroom: api did not start: cannot listen on port 8080");
  }

  @Test
  void aStartThatTakesLongerThanItsBoundStopsTheProcessWith1() {
    ProcessLife life = stoppingAtOnce();

    life.started(new CompletableFuture<>(), "api", BOUND, () -> "api did not start within the bound");

    assertThat(life.exitCode()).isEqualTo(1);
    assertThat(lastLine()).isEqualTo("postroom: api did not start within the bound");
  }

  @Test
  void aStartThatSucceedsIsReportedAndStopsNothing() throws Exception {
    AtomicInteger stops = new AtomicInteger();
    ProcessLife life = countingStops(stops);

    life.started(CompletableFuture.completedFuture(8080), "api", BOUND, () -> "too slow").toCompletableFuture()
        .get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    Thread.sleep(2 * BOUND.toMillis());

    assertThat(stops).hasValue(0);
  }
}
