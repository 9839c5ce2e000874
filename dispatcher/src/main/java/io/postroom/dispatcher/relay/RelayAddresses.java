package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.config.RelayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each relay's host name resolves, asked at start and then once per interval on a worker
 * thread (a DNS lookup blocks). Relays come and go, and their names with them: a name that does not
 * resolve is a warning and makes the dispatcher unready while no relay that resolves is up, never a
 * failed start. The sends themselves find out the same on their own, through the relay's circuit.
 */
public final class RelayAddresses {
  private static final Logger LOG = LoggerFactory.getLogger(RelayAddresses.class);
  private final Vertx vertx;
  private final List<RelayConfig> relays;
  /** Relay name → why its host does not resolve. */
  private final Map<String, String> unresolved = new ConcurrentHashMap<>();
  private long timer = -1;

  public RelayAddresses(Vertx vertx, List<RelayConfig> relays) {
    this.vertx = vertx;
    this.relays = relays;
  }

  /** The first lookup, then one per {@code interval}. */
  public Future<Void> start(Duration interval) {
    return check().onComplete(ar -> timer = vertx.setPeriodic(interval.toMillis(), id -> check()));
  }

  public boolean resolves(String relay) {
    return !unresolved.containsKey(relay);
  }

  /** Why {@code relay}'s host does not resolve, or null. */
  public String problem(String relay) {
    return unresolved.get(relay);
  }

  private Future<Void> check() {
    return Future.join(relays.stream().map(relay -> vertx.<Void>executeBlocking(() -> {
      lookUp(relay);
      return null;
    }, false)).toList()).mapEmpty();
  }

  private void lookUp(RelayConfig relay) {
    try {
      InetAddress.getAllByName(relay.host());
      if (unresolved.remove(relay.name()) != null) {
        LOG.info("relay {}: host {} resolves again", relay.name(), relay.host());
      }
    } catch (UnknownHostException e) {
      String reason = "relay " + relay.describe() + ": host " + relay.host() + " does not resolve; its sends wait"
          + " until it does (check POSTROOM_RELAY_HOST / relays[].host and DNS)";
      if (unresolved.put(relay.name(), reason) == null) {
        LOG.warn(reason);
      }
    }
  }

  public void close() {
    vertx.cancelTimer(timer);
  }
}
