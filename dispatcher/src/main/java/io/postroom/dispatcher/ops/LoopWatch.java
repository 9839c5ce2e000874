package io.postroom.dispatcher.ops;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends the process when an event loop of a dispatcher instance has been stuck in one task for
 * longer than {@code dispatch.blockedLoopLimit}: each watched loop notes the time once a second, and
 * a thread of its own looks at the notes. Vert.x's own checker only warns, and a dispatcher whose
 * loop is stuck neither sends nor commits nor answers its health checks from that instance.
 */
public final class LoopWatch implements AutoCloseable {
  private static final long BEAT_MS = 1_000;
  private final Duration limit;
  private final Lifeline lifeline;
  private final Map<String, Long> lastBeat = new ConcurrentHashMap<>();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "postroom-loop-watch");
    t.setDaemon(true);
    return t;
  });

  public LoopWatch(Duration limit, Lifeline lifeline) {
    this.limit = limit;
    this.lifeline = lifeline;
    thread.scheduleWithFixedDelay(this::check, BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
  }

  /** Watches the loop of {@code context} under {@code name}; returns the timer to cancel when it stops. */
  public long watch(String name, Context context) {
    lastBeat.put(name, System.nanoTime());
    return context.owner().setPeriodic(BEAT_MS, id -> lastBeat.put(name, System.nanoTime()));
  }

  public void unwatch(String name) {
    lastBeat.remove(name);
  }

  private void check() {
    long now = System.nanoTime();
    lastBeat.forEach((name, beat) -> {
      if (now - beat > limit.toNanos()) {
        lifeline.end("the event loop of " + name + " has been blocked for more than " + limit.toSeconds()
            + " s (dispatch.blockedLoopLimit); a thread dump (jstack) of the next occurrence shows where");
      }
    });
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
