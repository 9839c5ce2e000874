package io.postroom.dispatcher.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Bounds every send to a relay by its {@code sendTimeout}, with one periodic sweep instead of a
 * timer per send ({@code Future.timeout} schedules and cancels one on the event loop for every
 * message). A send is failed with a {@link TimeoutException} at most one sweep interval after its
 * deadline. At most the relay's slots are watched at once. Event-loop confined.
 */
final class SendDeadlines {
  private static final long SWEEP_MILLIS = 250;

  private final Vertx vertx;
  private final long timeoutNanos;
  private final Set<Watched<?>> watched = new HashSet<>();
  private final long sweeper;

  private record Watched<T>(long deadline, Promise<T> promise) {
  }

  SendDeadlines(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutNanos = timeout.toNanos();
    this.sweeper = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep(System.nanoTime()));
  }

  /** {@code send}'s outcome, or a {@link TimeoutException} once it has taken longer than the timeout. */
  <T> Future<T> bound(Future<T> send) {
    Promise<T> promise = Promise.promise();
    Watched<T> entry = new Watched<>(System.nanoTime() + timeoutNanos, promise);
    watched.add(entry);
    send.onComplete(result -> {
      if (watched.remove(entry)) {
        promise.handle(result);
      }
    });
    return promise.future();
  }

  void sweep(long now) {
    if (watched.isEmpty()) {
      return;
    }
    List<Watched<?>> late = new ArrayList<>();
    for (Watched<?> entry : watched) {
      if (now - entry.deadline() >= 0) {
        late.add(entry);
      }
    }
    for (Watched<?> entry : late) {
      watched.remove(entry);
      entry.promise().fail(new TimeoutException(
          "The timeout period of " + Duration.ofNanos(timeoutNanos).toMillis() + "ms has been exceeded"));
    }
  }

  int watched() {
    return watched.size();
  }

  void close() {
    vertx.cancelTimer(sweeper);
  }
}
