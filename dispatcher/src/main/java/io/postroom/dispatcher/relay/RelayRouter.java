package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.lanes.LaneScheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Hands each send a relay and a sending slot on it: the first healthy relay in configuration order
 * with a free slot, so a second relay takes over while the first is down. When none can take the
 * send, it waits here (their number is bounded by the in-flight limit) until a slot is released or
 * a relay's backoff ends and a probe can go. Every acquired relay must be given back with
 * {@link #release(Relay)} once the send's outcome was reported to the relay's health.
 *
 * <p>Waiting sends are served by lane ({@link LaneScheduler}): high priority first, and the tenants
 * of one priority in turn, by their weights, so a tenant's bulk batch cannot make another tenant's
 * password reset wait behind it for a slot.
 */
public final class RelayRouter {
  private final List<Relay> relays;
  /** Bounded by the in-flight limit, not here: every waiting send is a job already in memory. */
  private final LaneScheduler<Promise<Relay>> waiting;
  private Runnable onAvailabilityChange = () -> { };

  /** @param weightOfTenant a tenant's share of the slots among the tenants of its priority */
  public RelayRouter(List<Relay> relays, ToIntFunction<String> weightOfTenant) {
    this.relays = List.copyOf(relays);
    this.waiting = new LaneScheduler<>(Integer.MAX_VALUE, send -> 1, weightOfTenant);
  }

  /** Called on every relay state change, after waiting sends were served. */
  public void onAvailabilityChange(Runnable listener) {
    this.onAvailabilityChange = listener;
  }

  public List<Relay> relays() {
    return relays;
  }

  public boolean anyUp() {
    for (Relay relay : relays) {
      if (relay.health().isUp()) {
        return true;
      }
    }
    return false;
  }

  /** A relay with a free slot for a send of {@code lane}: at once, or when it is this lane's turn. */
  public Future<Relay> acquire(Lane lane) {
    if (waiting.size() == 0) {
      Relay relay = pick();
      if (relay != null) {
        return Future.succeededFuture(relay);
      }
    }
    Promise<Relay> promise = Promise.promise();
    waiting.offer(lane, promise);
    return promise.future();
  }

  /** A send on {@code relay} finished and its outcome was reported: its slot serves whoever waits. */
  public void release(Relay relay) {
    relay.release();
    serveWaiting();
  }

  /** Relay health changed: serve whoever waits, then tell the consumer. */
  public void relayStateChanged() {
    serveWaiting();
    onAvailabilityChange.run();
  }

  private void serveWaiting() {
    while (waiting.size() > 0) {
      Relay relay = pick();
      if (relay == null) {
        break;
      }
      waiting.poll().orElseThrow().complete(relay);
    }
  }

  public int waiting() {
    return waiting.size();
  }

  private Relay pick() {
    for (Relay relay : relays) {
      if (relay.health().isUp() && relay.tryReserve()) {
        return relay;
      }
    }
    for (Relay relay : relays) {
      if (relay.health().takeProbe()) {
        relay.reserveForProbe();
        return relay;
      }
    }
    return null;
  }
}
