package io.postroom.dispatcher.ratelimit;

import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.config.TenantConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every rate limit of one dispatcher, in one place.
 *
 * <ul>
 *   <li>Per relay: the configured limit holds for the whole consumer group; this instance sends at
 *       its {@link GroupShare} (recomputed on every rebalance), lowered while the relay pushes back
 *       ({@link AdaptiveRate}: 421, 450, 451, 452, "too many"). A relay without a limit gets one
 *       only while it pushes back.
 *   <li>Per tenant: the configured limit, shared the same way; no adaptation.
 *   <li>Per bulk send with a {@code maxRate}: that rate, shared the same way, on top of the
 *       tenant's and the relay's (the last {@value #BULK_SENDS_KEPT} sends used are kept).
 * </ul>
 *
 * No Redis, no coordinator: the partition assignment is the only thing the instances share.
 * Event-loop confined.
 */
public final class RateLimits {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
  /** However often a relay pushes back, it still gets this share of its limit. */
  private static final double FLOOR_OF_LIMIT = 0.05;
  /** Without a configured limit, the lowest rate pushing back can bring a relay to. */
  private static final MessageRate UNLIMITED_FLOOR = MessageRate.perSecond(1);
  /** Bulk sends whose rate is kept; one used again after it was forgotten starts a new pace. */
  static final int BULK_SENDS_KEPT = 1_000;

  private final Vertx vertx;
  private final Map<String, RelayRate> relays = new HashMap<>();
  private final Map<String, TenantRate> tenants = new HashMap<>();
  private final Map<String, BulkRate> bulkSends = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, BulkRate> eldest) {
      return size() > BULK_SENDS_KEPT;
    }
  };
  private final Function<String, TenantConfig> tenantConfig;
  private int assignedPartitions = 1;
  private int partitionCount = 1;

  public RateLimits(Vertx vertx, List<RelayConfig> relays, Function<String, TenantConfig> tenantConfig) {
    this.vertx = vertx;
    this.tenantConfig = tenantConfig;
    relays.forEach(relay -> this.relays.put(relay.name(), new RelayRate(relay)));
  }

  /** Completes when the relay's rate allows one more message. */
  public Future<Void> relayPermit(String relay) {
    return relays.get(relay).permits.acquire();
  }

  /** Completes when the tenant's rate allows one more message (at once for a tenant without a limit). */
  public Future<Void> tenantPermit(String tenant) {
    return tenants.computeIfAbsent(tenant, name -> new TenantRate(tenantConfig.apply(name))).permits.acquire();
  }

  /**
   * Completes when the bulk send's {@code maxRate} allows one more message: at once for a send
   * without one. The rate is the send's across the group, this instance taking its share.
   *
   * @param send the send's key ({@code <tenant>/<bulk id>})
   * @param maxRate messages per second for the whole send, or null
   */
  public Future<Void> bulkPermit(String send, Double maxRate) {
    if (maxRate == null) {
      return Future.succeededFuture();
    }
    BulkRate rate = bulkSends.computeIfAbsent(send, key -> new BulkRate(maxRate));
    rate.setLimit(maxRate);
    return rate.permits.acquire();
  }

  /** The rate this instance paces the bulk send at now; empty for a send it has no rate for. */
  public Optional<MessageRate> bulkRate(String send) {
    BulkRate rate = bulkSends.get(send);
    return rate == null ? Optional.empty() : share(rate.limit);
  }

  /** This instance now reads {@code assigned} of the jobs topic's {@code partitionCount} partitions. */
  public void rebalanced(int assigned, int partitionCount) {
    this.assignedPartitions = assigned;
    this.partitionCount = Math.max(1, partitionCount);
    relays.values().forEach(RelayRate::reshare);
    tenants.values().forEach(TenantRate::reshare);
    bulkSends.values().forEach(BulkRate::reshare);
  }

  /** The relay took a message. */
  public void succeeded(String relay) {
    relays.get(relay).succeeded(nowMillis());
  }

  /** The relay asked us to slow down. */
  public void throttled(String relay) {
    relays.get(relay).throttled(nowMillis());
  }

  /** The rate this instance sends to the relay at now; empty while unlimited. */
  public Optional<MessageRate> relayRate(String relay) {
    return Optional.ofNullable(relays.get(relay).permits.rate());
  }

  private Optional<MessageRate> share(Double groupLimit) {
    if (groupLimit == null) {
      return Optional.empty();
    }
    // before the first assignment, the whole group limit: never more than this instance may use
    return new GroupShare(MessageRate.perSecond(groupLimit))
        .forAssignment(Math.min(assignedPartitions, partitionCount), partitionCount)
        .or(() -> Optional.of(MessageRate.perSecond(groupLimit).times(1.0 / partitionCount)));
  }

  private static long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }

  /** One relay: its share of the group limit, adapted to its replies. */
  private final class RelayRate {
    final RelayConfig config;
    final PacedPermits permits = PacedPermits.unlimited(vertx);
    final SendRateMeter meter = new SendRateMeter();
    AdaptiveRate adaptive;

    RelayRate(RelayConfig config) {
      this.config = config;
      reshare();
    }

    void reshare() {
      adaptive = share(config.rateLimit())
          .map(ceiling -> AdaptiveRate.limited(ceiling, ceiling.times(FLOOR_OF_LIMIT)))
          .orElseGet(() -> AdaptiveRate.unlimited(UNLIMITED_FLOOR));
      apply();
    }

    void succeeded(long now) {
      meter.record(now);
      if (adaptive.succeeded(now)) {
        apply();
      }
    }

    void throttled(long now) {
      boolean changed = adaptive.current().isPresent()
          ? adaptive.throttled(now)
          : adaptive.throttled(now, meter.lastSecond(now).orElse(UNLIMITED_FLOOR).max(UNLIMITED_FLOOR));
      if (changed) {
        apply();
        LOG.warn("relay {} asks us to slow down: sending at {} now", config.name(),
            adaptive.current().map(MessageRate::toString).orElse("no limit"));
      }
    }

    void apply() {
      permits.setRate(adaptive.current().orElse(null));
    }
  }

  /** One tenant: its share of its group limit. */
  private final class TenantRate {
    final TenantConfig config;
    final PacedPermits permits = PacedPermits.unlimited(vertx);

    TenantRate(TenantConfig config) {
      this.config = config;
      reshare();
    }

    void reshare() {
      permits.setRate(share(config.rateLimit()).orElse(null));
    }
  }

  /** One bulk send: its share of its {@code maxRate}. */
  private final class BulkRate {
    final PacedPermits permits;
    double limit;

    BulkRate(double limit) {
      this.limit = limit;
      // paced from the start, so that its first message goes at once
      permits = share(limit).map(rate -> PacedPermits.at(vertx, rate)).orElseGet(() -> PacedPermits.unlimited(vertx));
    }

    /** A recipient job written after the send's rate was changed carries the new one. */
    void setLimit(double limit) {
      if (limit != this.limit) {
        this.limit = limit;
        reshare();
      }
    }

    void reshare() {
      permits.setRate(share(limit).orElse(null));
    }
  }

  /** Messages sent in the last whole second: what "unlimited" was running at when the relay pushed back. */
  private static final class SendRateMeter {
    private long second = -1;
    private int thisSecond;
    private int lastSecond;

    void record(long nowMillis) {
      roll(nowMillis);
      thisSecond++;
    }

    Optional<MessageRate> lastSecond(long nowMillis) {
      roll(nowMillis);
      return lastSecond == 0 ? Optional.empty() : Optional.of(MessageRate.perSecond(lastSecond));
    }

    private void roll(long nowMillis) {
      long now = nowMillis / 1000;
      if (now != second) {
        lastSecond = now == second + 1 ? thisSecond : 0;
        thisSecond = 0;
        second = now;
      }
    }
  }
}
