package io.postroom.dispatcher.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * Hands each send a relay: the first healthy one in configuration order, so a second relay takes
 * over while the first is down. When none is healthy, sends wait here (their number is bounded by
 * the in-flight limit) until a relay's backoff ends and a probe can go.
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

  /** Relay health changed: serve whoever waits, then tell the consumer. */
  public void relayStateChanged() {
    while (!waiting.isEmpty()) {
      Relay relay = pick();
      if (relay == null) {
        break;
      }
      waiting.poll().complete(relay);
    }
    onAvailabilityChange.run();
  }

  public int waiting() {
    return waiting.size();
  }

  private Relay pick() {
    for (Relay relay : relays) {
      if (relay.health().isUp()) {
        return relay;
      }
    }
    for (Relay relay : relays) {
      if (relay.health().takeProbe()) {
        return relay;
      }
    }
    return null;
  }
}
