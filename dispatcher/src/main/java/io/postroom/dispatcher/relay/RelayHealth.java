package io.postroom.dispatcher.relay;

import io.postroom.contract.metrics.CircuitState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.postroom.dispatcher.retry.Backoff;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a relay may be used now: a resilience4j {@link CircuitBreaker} fed only with relay-level
 * failures (see {@link FailureClassifier}); any answer that shows the relay working, even a 550 for
 * one recipient, counts as a success. The breaker opens when half of the last sends to the relay
 * failed at relay level (the very first one, after a start or a recovery), stays open for a backoff
 * that doubles while the failures last, then lets exactly one send through as a probe; the probe's
 * outcome closes or re-opens it.
 *
 * <p>The open wait runs on a Vert.x timer rather than resilience4j's scheduler thread, so every
 * transition happens on the event loop that all callers share.
 */
public final class RelayHealth {
  private static final Logger LOG = LoggerFactory.getLogger(RelayHealth.class);
  /** Sends the failure rate is computed over. */
  private static final int WINDOW = 20;
  private static final float FAILURE_RATE_PERCENT = 50;


  private final Vertx vertx;
  private final String relay;
  private final Runnable onChange;
  private final CircuitBreaker breaker;
  private long nextOpenMillis;
  private long openTimer = -1;
  private int openings;
  private SendFailure lastFailure;
  private SendFailure lastOpening;

  /** A relay-level failure as resilience4j wants it: a throwable, without a stack. */
  private static final class RelayUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RelayUnavailable(String reason) {
      super(reason, null, false, false);
    }
  }

  public RelayHealth(Vertx vertx, String relay, Backoff backoff, Runnable onChange) {
    this.vertx = vertx;
    this.relay = relay;
    this.onChange = onChange;
    this.breaker = CircuitBreaker.of(relay, CircuitBreakerConfig.custom()
        .slidingWindow(WINDOW, 1, SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(FAILURE_RATE_PERCENT)
        .permittedNumberOfCallsInHalfOpenState(1)
        .waitIntervalFunctionInOpenState(attempt -> {
          nextOpenMillis = Math.max(1, backoff.delay(attempt, ThreadLocalRandom.current()).toMillis());
          return nextOpenMillis;
        })
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .build());
    breaker.getEventPublisher().onStateTransition(event -> transitioned(event.getStateTransition().getToState()));
  }

  /** The breaker's state as the readiness document and the metrics report it. */
  public CircuitState state() {
    return switch (breaker.getState()) {
      case CLOSED, DISABLED, METRICS_ONLY -> CircuitState.UP;
      case HALF_OPEN -> CircuitState.PROBING;
      default -> CircuitState.DOWN;
    };
  }

  public boolean isUp() {
    return state() == CircuitState.UP;
  }

  /** True once per open period: the caller becomes the probe and must report its outcome. */
  boolean takeProbe() {
    return breaker.getState() == CircuitBreaker.State.HALF_OPEN && breaker.tryAcquirePermission();
  }

  /** The latest relay-level failure, even if it did not open the breaker. */
  public SendFailure lastFailure() {
    return lastFailure;
  }

  /** The failure that last opened the breaker. */
  public SendFailure lastOpening() {
    return lastOpening;
  }

  /** How often the breaker opened since start. */
  public int openings() {
    return openings;
  }

  public void succeeded() {
    breaker.onSuccess(0, TimeUnit.NANOSECONDS);
  }

  public void failed(SendFailure failure) {
    lastFailure = failure;
    if (breaker.getState() == CircuitBreaker.State.OPEN) {
      return; // sends that were already under way when it opened tell us nothing new
    }
    breaker.onError(0, TimeUnit.NANOSECONDS, new RelayUnavailable(failure.reason()));
  }

  private void transitioned(CircuitBreaker.State to) {
    switch (to) {
      case OPEN -> {
        openings++;
        lastOpening = lastFailure;
        LOG.warn("{}; circuit of relay {} open: holding all its sends for {} ms (opening {})",
            lastFailure == null ? "relay failures" : lastFailure.reason(), relay, nextOpenMillis, openings);
        vertx.cancelTimer(openTimer);
        openTimer = vertx.setTimer(nextOpenMillis, id -> {
          if (breaker.getState() == CircuitBreaker.State.OPEN) {
            breaker.transitionToHalfOpenState();
          }
        });
      }
      case HALF_OPEN -> LOG.info("relay {}: circuit half-open, one probe send decides", relay);
      case CLOSED -> LOG.info("relay {} works again: circuit closed after {} opening(s)", relay, openings);
      default -> LOG.info("relay {}: circuit {}", relay, to);
    }
    onChange.run();
  }
}
