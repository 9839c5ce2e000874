package io.postroom.dispatcher.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * Hands each send a relay and a sending slot on it: the first healthy relay in configuration order
 * with a free slot, so a second relay takes over while the first is down. When none can take the
 * send, it waits here (their number is bounded by the in-flight limit) until a slot is released or
 * a relay's backoff ends and a probe can go. Every acquired relay must be given back with
 * {@link #release(Relay)} once the send's outcome was reported to the relay's health.
 */
public final class RelayRouter {
  private final List<Relay> relays;
  private final Queue<Promise<Relay>> waiting = new ArrayDeque<>();
  private Runnable onAvailabilityChange = () -> { };

  public RelayRouter(List<Relay> relays) {
    this.relays = List.copyOf(relays);
  }

  /** Called on every relay state change, after waiting sends were served. */
  public void onAvailabilityChange(Runnable listener) {
    this.onAvailabilityChange = listener;
  }

  public List<Relay> relays() {
    return relays;
  }

  public boolean anyUp() {
    return relays.stream().anyMatch(r -> r.health().isUp());
  }

  public Future<Relay> acquire() {
    Relay relay = pick();
    if (relay != null) {
      return Future.succeededFuture(relay);
    }
    Promise<Relay> promise = Promise.promise();
    waiting.add(promise);
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
    while (!waiting.isEmpty()) {
      Relay relay = pick();
      if (relay == null) {
        break;
      }
      waiting.poll().complete(relay);
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
