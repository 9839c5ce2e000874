package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.retry.Backoff;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a relay may be used now. A relay-level failure (cannot connect, TLS, STARTTLS missing,
 * 535, 554 at the greeting, 421, timeout) closes it for a backoff that doubles while the failures
 * last; when the backoff ends, exactly one send is let through as a probe, and its outcome decides.
 * Any answer that shows the relay working, even a 550 for one recipient, opens it again.
 *
 * <p>Event-loop confined, like everything that calls it.
 */
public final class RelayHealth {
  private static final Logger LOG = LoggerFactory.getLogger(RelayHealth.class);

  public enum State { UP, DOWN, PROBING }

  private final Vertx vertx;
  private final String relay;
  private final Backoff backoff;
  private final Runnable onChange;
  private State state = State.UP;
  private boolean probeOut;
  private int consecutiveFailures;
  private SendFailure lastFailure;

  public RelayHealth(Vertx vertx, String relay, Backoff backoff, Runnable onChange) {
    this.vertx = vertx;
    this.relay = relay;
    this.backoff = backoff;
    this.onChange = onChange;
  }

  public State state() {
    return state;
  }

  public boolean isUp() {
    return state == State.UP;
  }

  /** True once per backoff: the caller becomes the probe and must report its outcome. */
  boolean takeProbe() {
    if (state == State.PROBING && !probeOut) {
      probeOut = true;
      return true;
    }
    return false;
  }

  public SendFailure lastFailure() {
    return lastFailure;
  }

  public void succeeded() {
    if (state == State.DOWN) {
      return; // a send started before the relay was held: only the probe, or a send after it, decides
    }
    if (state == State.PROBING) {
      LOG.info("relay {} works again after {} failed attempt(s)", relay, consecutiveFailures);
      state = State.UP;
      probeOut = false;
      consecutiveFailures = 0;
      onChange.run();
    }
  }

  public void failed(SendFailure failure) {
    lastFailure = failure;
    if (state == State.DOWN) {
      return; // sends that were already under way when it went down tell us nothing new
    }
    consecutiveFailures++;
    state = State.DOWN;
    probeOut = false;
    Duration delay = backoff.delay(consecutiveFailures, ThreadLocalRandom.current());
    LOG.warn("{}; holding all sends to relay {} for {} ms (failure {} in a row)",
        failure.reason(), relay, delay.toMillis(), consecutiveFailures);
    vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      state = State.PROBING;
      onChange.run();
    });
    onChange.run();
  }
}
