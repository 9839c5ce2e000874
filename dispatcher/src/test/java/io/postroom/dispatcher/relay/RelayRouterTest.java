package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.OnEventLoop;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.config.TlsMode;
import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.retry.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who gets a relay's slot: at once while one is free, then by lane. No mail is sent here. */
@ExtendWith(VertxExtension.class)
class RelayRouterTest {
  private static final Lane BULK_A = new Lane(Priority.BULK, "a");
  private static final Lane BULK_B = new Lane(Priority.BULK, "b");
  private static final Lane HIGH_B = new Lane(Priority.HIGH, "b");

  /** A relay with one pooled connection: two slots (one per pool). */
  private static Relay relay(Vertx vertx, String name) {
    RelayConfig config = new RelayConfig(name, "localhost", 2525, TlsMode.STARTTLS, null, null, null, 1, 1_000_000,
        100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null, null);
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0);
    return new Relay(vertx, config, new RelayHealth(vertx, name, backoff, () -> { }));
  }

  /** A router of one such relay, {@code primary}. */
  private static RelayRouter oneRelay(Vertx vertx) {
    return new RelayRouter(List.of(relay(vertx, "primary")), tenant -> 1);
  }

  /** Takes both slots of the router's one relay, for {@link #BULK_A}; the relay, to release them. */
  private static Relay takeBothSlots(RelayRouter router) {
    Relay relay = router.acquire(BULK_A).result();
    router.acquire(BULK_A);
    return relay;
  }

  private static List<String> order(List<Future<Relay>> waiting, List<String> names) {
    List<String> served = new ArrayList<>();
    for (int i = 0; i < waiting.size(); i++) {
      if (waiting.get(i).succeeded()) {
        served.add(names.get(i));
      }
    }
    return served;
  }

  @Test
  void aFreeSlotIsHandedOutAtOnce(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RelayRouter router = oneRelay(vertx);

      assertThat(router.acquire(BULK_A).succeeded()).isTrue();
      assertThat(router.acquire(BULK_A).succeeded()).isTrue();
      assertThat(router.acquire(BULK_A).isComplete()).isFalse();
      assertThat(router.waiting()).isEqualTo(1);
    });
  }

  @Test
  void aReleasedSlotGoesToTheHighestPriorityWaitingNotTheOldest(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RelayRouter router = oneRelay(vertx);
      Relay relay = takeBothSlots(router);
      Future<Relay> bulk = router.acquire(BULK_A);
      Future<Relay> high = router.acquire(HIGH_B);

      router.release(relay);

      assertThat(high.succeeded()).isTrue();
      assertThat(bulk.isComplete()).isFalse();
    });
  }

  @Test
  void tenantsOfOnePriorityTakeTurnsForFreedSlots(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RelayRouter router = oneRelay(vertx);
      Relay relay = takeBothSlots(router);
      List<Future<Relay>> waiting = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        waiting.add(router.acquire(BULK_A));
        names.add("a" + i);
      }
      waiting.add(router.acquire(BULK_B));
      names.add("b0");

      router.release(relay);
      router.release(relay);

      assertThat(order(waiting, names)).containsExactlyInAnyOrder("a0", "b0");
    });
  }

  @Test
  void aSecondRelayTakesTheSendsTheFirstHasNoSlotFor(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RelayRouter router = new RelayRouter(List.of(relay(vertx, "primary"), relay(vertx, "secondary")), t -> 1);

      router.acquire(BULK_A);
      router.acquire(BULK_A);

      assertThat(router.acquire(BULK_A).result().name()).isEqualTo("secondary");
    });
  }

  @Test
  void whileTheOnlyRelayIsHeldSendsWaitAndNoRelayIsUp(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      Relay relay = relay(vertx, "primary");
      RelayRouter router = new RelayRouter(List.of(relay), tenant -> 1);
      relay.health().failed(new SendFailure(SendFailure.Kind.RELAY, null, null, null, "cannot connect"));

      assertThat(router.anyUp()).isFalse();
      assertThat(router.acquire(HIGH_B).isComplete()).isFalse();
    });
  }
}
