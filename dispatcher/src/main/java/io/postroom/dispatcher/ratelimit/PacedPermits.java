package io.postroom.dispatcher.ratelimit;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Permits to send, handed out at a steady pace: a resilience4j {@link RateLimiter} turned into a
 * {@code Future} without blocking. A caller that may not send yet gets a reservation from the limiter
 * and a Vert.x timer for the wait; {@code acquirePermission}, which parks the thread, is never used.
 *
 * <p>The pace is one permit per {@link MessageRate#interval()}, not a burst of permits once a
 * second, so a relay sees messages spread evenly. The limiter does not save up permits while idle
 * (it holds at most one), so an idle spell is not followed by a burst either.
 *
 * <p>Waiting for a permit never fails a job: reservations are bounded by a generous timeout (an hour
 * of sending), and a caller beyond it asks again one interval later instead of being refused.
 *
 * <p>Event-loop confined: create it, call every method and complete the futures on one event loop.
 */
public final class PacedPermits {

  /** Long enough that every queued caller gets a reservation rather than a refusal. */
  static final Duration RESERVATION_BOUND = Duration.ofHours(1);

  private final Vertx vertx;
  private final Duration reservationBound;
  // callers holding a reservation or waiting to ask again, in the order they asked
  private final Set<Waiter> waiting = new LinkedHashSet<>();
  private MessageRate rate;
  private RateLimiter limiter;

  PacedPermits(Vertx vertx, MessageRate rate, Duration reservationBound) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.reservationBound = Objects.requireNonNull(reservationBound, "reservationBound");
    this.rate = rate;
    // a new instance may send its first message at once
    this.limiter = rate == null ? null : limiterFor(rate);
  }

  /** Permits paced at {@code rate}. */
  public static PacedPermits at(Vertx vertx, MessageRate rate) {
    return new PacedPermits(vertx, Objects.requireNonNull(rate, "rate"), RESERVATION_BOUND);
  }

  /** Permits without a limit: every {@link #acquire()} completes at once. */
  public static PacedPermits unlimited(Vertx vertx) {
    return new PacedPermits(vertx, null, RESERVATION_BOUND);
  }

  /** Completes when the caller may send one message. Never fails. */
  public Future<Void> acquire() {
    if (limiter == null) {
      return Future.succeededFuture();
    }
    Waiter waiter = new Waiter();
    waiting.add(waiter);
    reserve(waiter);
    return waiter.promise.future();
  }

  /**
   * Paces from now on at {@code newRate}, or without a limit when it is null. Callers already
   * waiting are paced anew at the new rate, in the order they asked, so that a slow-down asked for by
   * the relay applies to them too and a speed-up releases them sooner. Setting the rate in effect
   * changes nothing.
   */
  public void setRate(MessageRate newRate) {
    if (Objects.equals(newRate, rate)) {
      return;
    }
    rate = newRate;
    // resilience4j cannot change the refresh period of a limiter, only its permits per period;
    // rates change seldom (at most once a second), so a fresh limiter per change costs nothing
    limiter = newRate == null ? null : limiterFor(newRate);
    if (limiter != null) {
      // a fresh limiter holds one permit; spending it now means the first message after a change
      // comes one new interval later, so a change never lets a burst through
      limiter.drainPermissions();
    }
    for (Waiter waiter : new ArrayList<>(waiting)) {
      if (!waiting.contains(waiter)) {
        continue; // released meanwhile by a caller that changed the rate again from its callback
      }
      vertx.cancelTimer(waiter.timerId);
      if (limiter == null) {
        release(waiter);
      } else {
        reserve(waiter);
      }
    }
  }

  /** The rate permits are paced at; null when there is no limit. */
  public MessageRate rate() {
    return rate;
  }

  /** How many callers are waiting for a permit. */
  public int waiting() {
    return waiting.size();
  }

  private void reserve(Waiter waiter) {
    long nanos = limiter.reservePermission();
    if (nanos == 0) {
      release(waiter);
      return;
    }
    // -1: not within the reservation bound; nothing was reserved, so ask again an interval later
    boolean reserved = nanos > 0;
    long wait = reserved ? nanos : rate.interval().toNanos();
    waiter.timerId = vertx.setTimer(millisAtLeast(wait), id -> {
      if (waiter.timerId != id || !waiting.contains(waiter)) {
        return; // a rate change took this waiter over
      }
      if (reserved) {
        release(waiter);
      } else {
        reserve(waiter);
      }
    });
  }

  private void release(Waiter waiter) {
    waiting.remove(waiter);
    waiter.promise.complete();
  }

  // rounded up: a timer that fires before the reserved moment would send ahead of the pace
  private static long millisAtLeast(long nanos) {
    long millis = nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
    return Math.max(1, millis);
  }

  private RateLimiter limiterFor(MessageRate rate) {
    RateLimiterConfig config = RateLimiterConfig.custom()
        .limitForPeriod(1)
        .limitRefreshPeriod(rate.interval())
        .timeoutDuration(reservationBound)
        .build();
    return RateLimiter.of("postroom-pacing-" + rate, config);
  }

  private static final class Waiter {
    final Promise<Void> promise = Promise.promise();
    long timerId = -1;
  }
}
