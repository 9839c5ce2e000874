package io.postroom.dispatcher.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.OnEventLoop;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.config.TenantConfig;
import io.postroom.dispatcher.config.TlsMode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RateLimitsTest {
  /** A slow limit (one every 10 s): a test that expects the second permit to wait holds on a stalled, busy machine. */
  private static final Map<String, TenantConfig> TENANTS = Map.of("billing", new TenantConfig("billing", 0.1, 1, null));

  private static RelayConfig relay(String name, Double rateLimit) {
    return new RelayConfig(name, "localhost", 25, TlsMode.STARTTLS, null, null, null, 8, 1_000_000, 100,
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null, rateLimit);
  }

  private static RateLimits limits(Vertx vertx) {
    return new RateLimits(vertx, List.of(relay("limited", 40.0), relay("open", null)),
        name -> TENANTS.getOrDefault(name, TenantConfig.unnamed(name)));
  }

  @Test
  void aRelayWithoutALimitHasNoRate(Vertx vertx) {
    assertThat(limits(vertx).relayRate("open")).isEmpty();
  }

  @Test
  void anInstanceSendsAtItsShareOfTheGroupLimit(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);

      limits.rebalanced(1, 4);

      assertThat(limits.relayRate("limited")).contains(MessageRate.perSecond(10));
    });
  }

  @Test
  void theShareFollowsTheRebalance(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      limits.rebalanced(1, 4);

      limits.rebalanced(4, 4);

      assertThat(limits.relayRate("limited")).contains(MessageRate.perSecond(40));
    });
  }

  @Test
  void aRelayThatAsksToSlowDownGetsHalfTheRate(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      limits.rebalanced(2, 2);

      limits.throttled("limited");

      assertThat(limits.relayRate("limited")).contains(MessageRate.perSecond(20));
    });
  }

  @Test
  void aRelayWithoutALimitGetsOneWhileItPushesBack(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      for (int i = 0; i < 50; i++) {
        limits.succeeded("open");
      }

      limits.throttled("open");

      assertThat(limits.relayRate("open")).isPresent();
    });
  }

  @Test
  void aTenantWithoutALimitIsLetThroughAtOnce(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      for (int i = 0; i < 100; i++) {
        assertThat(limits.tenantPermit("alerts").isComplete()).isTrue();
      }
    });
  }

  @Test
  void aTenantWithALimitIsPaced(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      limits.rebalanced(1, 1);

      limits.tenantPermit("billing");
      assertThat(limits.tenantPermit("billing").isComplete()).as("the second of 0.1/s waits").isFalse();
    });
  }

  @Test
  void aBulkSendWithoutAMaxRateIsNotPaced(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      for (int i = 0; i < 100; i++) {
        assertThat(limits.bulkPermit("pensions/statement", null).succeeded()).isTrue();
      }
      assertThat(limits.bulkRate("pensions/statement")).isEmpty();
    });
  }

  @Test
  void aBulkSendIsPacedAtItsShareOfItsMaxRate(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      limits.rebalanced(1, 4);

      limits.bulkPermit("pensions/statement", 40.0);

      assertThat(limits.bulkRate("pensions/statement")).contains(MessageRate.perSecond(10));
    });
  }

  @Test
  void aBulkSendsPermitsAreSpacedByItsRate(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      limits.rebalanced(1, 1);

      assertThat(limits.bulkPermit("pensions/statement", 0.1).isComplete()).isTrue();
      assertThat(limits.bulkPermit("pensions/statement", 0.1).isComplete()).as("the next one, ten seconds later")
          .isFalse();
      assertThat(limits.bulkPermit("pensions/other", 0.1).isComplete()).as("another send's own pace").isTrue();
    });
  }

  @Test
  void theBulkSharesFollowTheRebalance(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RateLimits limits = limits(vertx);
      limits.rebalanced(1, 4);
      limits.bulkPermit("pensions/statement", 40.0);

      limits.rebalanced(2, 4);

      assertThat(limits.bulkRate("pensions/statement")).contains(MessageRate.perSecond(20));
    });
  }
}
