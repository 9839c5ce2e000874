package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.OnEventLoop;
import io.postroom.contract.metrics.CircuitState;
import io.postroom.dispatcher.retry.Backoff;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RelayHealthTest {
  private static final SendFailure REFUSED = new SendFailure(SendFailure.Kind.RELAY, 535, "5.7.8",
      "535 5.7.8 Authentication credentials invalid", "relay primary (localhost:25) refused our credentials");
  private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), 2.0);

  private final AtomicInteger changes = new AtomicInteger();

  private RelayHealth health(Vertx vertx) {
    return new RelayHealth(vertx, "primary", QUICK, changes::incrementAndGet);
  }

  /** Runs {@code then} on the event loop once {@code condition} holds. */
  private static void when(Vertx vertx, VertxTestContext test, BooleanSupplier condition, Runnable then) {
    vertx.setPeriodic(5, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        test.verify(then::run);
      }
    });
  }

  @Test
  void aNewRelayIsUp(Vertx vertx) {
    assertThat(health(vertx).state()).isEqualTo(CircuitState.UP);
  }

  @Test
  void theFirstRelayLevelFailureOpensTheCircuitAndSaysWhy(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RelayHealth health = health(vertx);
      health.failed(REFUSED);
      assertThat(health.state()).isEqualTo(CircuitState.DOWN);
      assertThat(health.lastOpening()).isEqualTo(REFUSED);
      assertThat(health.openings()).isEqualTo(1);
      assertThat(changes.get()).isPositive();
    });
  }

  @Test
  void occasionalFailuresAmongManySuccessesKeepTheCircuitClosed(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RelayHealth health = health(vertx);
      for (int i = 0; i < 15; i++) {
        health.succeeded();
      }
      health.failed(REFUSED);
      health.succeeded();
      health.failed(REFUSED);
      assertThat(health.state()).isEqualTo(CircuitState.UP);
      assertThat(health.lastFailure()).isEqualTo(REFUSED);
      assertThat(health.openings()).isZero();
    });
  }

  @Test
  void afterTheHoldExactlyOneProbeIsLetThrough(Vertx vertx, VertxTestContext test) {
    RelayHealth health = health(vertx);
    vertx.runOnContext(v -> health.failed(REFUSED));
    when(vertx, test, () -> health.state() == CircuitState.PROBING, () -> {
      assertThat(health.takeProbe()).isTrue();
      assertThat(health.takeProbe()).isFalse();
      test.completeNow();
    });
  }

  @Test
  void aSuccessfulProbeClosesTheCircuit(Vertx vertx, VertxTestContext test) {
    RelayHealth health = health(vertx);
    vertx.runOnContext(v -> health.failed(REFUSED));
    when(vertx, test, () -> health.state() == CircuitState.PROBING, () -> {
      assertThat(health.takeProbe()).isTrue();
      health.succeeded();
      assertThat(health.state()).isEqualTo(CircuitState.UP);
      test.completeNow();
    });
  }

  @Test
  void aFailedProbeOpensTheCircuitAgain(Vertx vertx, VertxTestContext test) {
    RelayHealth health = health(vertx);
    vertx.runOnContext(v -> health.failed(REFUSED));
    when(vertx, test, () -> health.state() == CircuitState.PROBING, () -> {
      assertThat(health.takeProbe()).isTrue();
      health.failed(REFUSED);
      assertThat(health.state()).isEqualTo(CircuitState.DOWN);
      assertThat(health.openings()).isEqualTo(2);
      test.completeNow();
    });
  }

  @Test
  void aLateSuccessOfASendStartedBeforeTheOpeningDoesNotCloseIt(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      RelayHealth health = health(vertx);
      health.failed(REFUSED);
      health.succeeded();
      assertThat(health.state()).isEqualTo(CircuitState.DOWN);
    });
  }
}
