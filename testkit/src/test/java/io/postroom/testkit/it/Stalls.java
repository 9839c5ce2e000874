package io.postroom.testkit.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The time this JVM did not run, measured as jHiccup does: a thread asks to sleep 5 ms again and
 * again and records every time it woke more than 1 ms late (a GC pause, or a machine whose cores
 * other work took). A timing assertion gives that time back to the code under test: a paced rate
 * limiter saves no permits (one per period) beyond those already reserved by jobs holding a relay
 * connection, which fire late instead, so a stall costs at most its own length in sends: over a
 * window of W seconds of which S were stalled, R per second means at least R x (W - S) sends. On an
 * idle machine S stays near zero; short hiccups are counted too, so the bound errs low, never high.
 */
final class Stalls implements AutoCloseable {
  private static final long TICK_NANOS = 5_000_000;
  private static final long LATE_NANOS = 1_000_000;

  private record Stall(Instant from, Instant to) {}

  private final List<Stall> stalls = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private Stalls() {
    thread = new Thread(this::watch, "stalls");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
  }

  static Stalls start() {
    Stalls stalls = new Stalls();
    stalls.thread.start();
    return stalls;
  }

  private void watch() {
    while (running) {
      long before = System.nanoTime();
      try {
        Thread.sleep(TICK_NANOS / 1_000_000);
      } catch (InterruptedException e) {
        return;
      }
      long late = System.nanoTime() - before - TICK_NANOS;
      if (late > LATE_NANOS) {
        Instant now = Instant.now();
        synchronized (stalls) {
          stalls.add(new Stall(now.minusNanos(late), now));
        }
      }
    }
  }

  /** How long this JVM stalled between {@code from} and {@code to}. */
  Duration between(Instant from, Instant to) {
    Duration total = Duration.ZERO;
    synchronized (stalls) {
      for (Stall stall : stalls) {
        Instant start = stall.from().isAfter(from) ? stall.from() : from;
        Instant end = stall.to().isBefore(to) ? stall.to() : to;
        if (end.isAfter(start)) {
          total = total.plus(Duration.between(start, end));
        }
      }
    }
    return total;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
