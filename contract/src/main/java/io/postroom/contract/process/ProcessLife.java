package io.postroom.contract.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * The bounded life of a long-running process (the dispatcher, the api): a start that ends within a
 * bound, one way out whoever asks first (SIGTERM, SIGINT, a failed start, a fault), a stop that
 * ends within a bound, and the exit code. Exit codes: 0 after a graceful stop, 1 when the process
 * could not start, could not stop cleanly or within its bound, or was stopped for a fault; every exit
 * but 0 prints one line {@code postroom: ...} saying why. Signals are handled here rather than in a
 * shutdown hook, because a JVM ended by a signal exits with 143 whatever its hooks did, and an
 * orchestrator should see a clean stop as one.
 */
public final class ProcessLife {
  private final Supplier<CompletionStage<?>> stop;
  private final Duration stopBound;
  private final Supplier<String> stopTooSlow;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * @param stop stops the process: every part of it drains and closes
   * @param stopBound how long {@code stop} may take
   * @param stopTooSlow the line printed when it takes longer
   */
  public ProcessLife(Supplier<CompletionStage<?>> stop, Duration stopBound, Supplier<String> stopTooSlow) {
    this.stop = stop;
    this.stopBound = stopBound;
    this.stopTooSlow = stopTooSlow;
  }

  /**
   * SIGTERM and SIGINT stop the process gracefully, exit code 0; {@code heard} is told which, for the
   * log. Call it before the start: a signal while the process waits for Kafka must stop it, not be
   * ignored.
   */
  public void stopOnSignals(Consumer<String> heard) {
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), received -> {
        heard.accept("SIG" + signal);
        stop(0, null);
      });
    }
  }

  /**
   * Bounds the start: one that fails or takes longer than {@code bound} stops the process, exit
   * code 1, with the line {@code <name> did not start: <why>} or {@code startTooSlow}.
   *
   * @return completes when the process has started; never, when it has not
   */
  public CompletionStage<Void> started(CompletionStage<?> start, String name, Duration bound,
      Supplier<String> startTooSlow) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    start.toCompletableFuture().orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, error) -> {
      if (error == null) {
        started.complete(null);
      } else if (error instanceof TimeoutException) {
        stop(1, startTooSlow.get());
      } else {
        stop(1, name + " did not start: " + StartFailure.sentence(error));
      }
    });
    return started;
  }

  /**
   * The one way out: stops the process (once, whoever asks first), waits for that at most the stop
   * bound, prints the reason if there is one, and hands {@code code} to {@link #exitCode()} (1 if the
   * stop failed or took too long).
   */
  public void stop(int code, String reason) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Thread stopper = new Thread(() -> {
      int result = code;
      String line = reason;
      try {
        stop.get().toCompletableFuture().get(stopBound.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        result = 1;
        line = line != null ? line : stopTooSlow.get();
      } catch (Exception e) {
        result = 1;
        line = line != null ? line : "did not stop cleanly: " + StartFailure.sentence(e);
      }
      if (line != null) {
        System.err.println("postroom: " + line);
      }
      exit.complete(result);
    }, "postroom-stop");
    stopper.setDaemon(true);
    stopper.start();
  }

  /** Waits until the process has stopped (never without a bound, once started): the exit code. */
  public int exitCode() {
    try {
      return exit.get();
    } catch (Exception e) {
      System.err.println("postroom: " + e);
      return 1;
    }
  }
}
