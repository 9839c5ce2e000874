package io.postroom.dispatcher.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timing is only ever checked from below ("took at least"), so a slow machine cannot fail a test.
 * Everything runs on one event loop context, as in the dispatcher.
 */
@ExtendWith(VertxExtension.class)
class PacedPermitsTest {

  // so slow that a caller waiting for it would outlast the test
  private static final MessageRate GLACIAL = MessageRate.perSecond(0.01);

  @Test
  void withoutALimitEveryPermitIsGrantedAtOnce(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.unlimited(vertx);

      List<Future<Void>> grants = acquire(permits, 1000);

      assertThat(grants).allMatch(Future::succeeded);
      assertThat(permits.rate()).isNull();
      assertThat(permits.waiting()).isZero();
      test.completeNow();
    });
  }

  @Test
  void theFirstPermitIsGrantedAtOnce(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, MessageRate.perSecond(1));

      assertThat(permits.acquire().succeeded()).isTrue();
      assertThat(permits.acquire().isComplete()).isFalse();
      assertThat(permits.waiting()).isOne();
      test.completeNow();
    });
  }

  @Test
  void tenPermitsAtTwentyPerSecondTakeAtLeastNineIntervals(Vertx vertx, VertxTestContext test) {
    long start = System.nanoTime(); // before the limiter exists: its pace counts from its creation
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, MessageRate.perSecond(20));

      allGrantedNoSoonerThan(test, acquire(permits, 10), start, Duration.ofMillis(9 * 50));
    });
  }

  @Test
  void permitsAreGrantedInTheOrderTheyWereAsked(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, MessageRate.perSecond(100));
      List<Integer> granted = new ArrayList<>();

      List<Future<Void>> grants = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int caller = i;
        grants.add(permits.acquire().onSuccess(v -> granted.add(caller)));
      }

      Future.all(grants).onComplete(test.succeeding(all -> test.verify(() -> {
        assertThat(granted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        test.completeNow();
      })));
    });
  }

  @Test
  void callersBeyondTheReservationBoundStillGetAPermitLater(Vertx vertx, VertxTestContext test) {
    Checkpoint everyCaller = test.checkpoint(5);
    onOneEventLoop(vertx, test, () -> {
      // a bound of zero: every caller who cannot send at once is refused a reservation
      PacedPermits permits = new PacedPermits(vertx, MessageRate.perSecond(50), Duration.ZERO);

      acquire(permits, 5).forEach(grant -> grant.onComplete(test.succeeding(v -> everyCaller.flag())));
    });
  }

  @Test
  void refusedReservationsKeepThePace(Vertx vertx, VertxTestContext test) {
    long start = System.nanoTime();
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = new PacedPermits(vertx, MessageRate.perSecond(50), Duration.ZERO);

      allGrantedNoSoonerThan(test, acquire(permits, 5), start, Duration.ofMillis(4 * 20));
    });
  }

  @Test
  void aHigherRateReleasesWaitingCallersSooner(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, GLACIAL);
      permits.acquire();
      Future<Void> waiting = permits.acquire();

      permits.setRate(MessageRate.perSecond(1000));

      assertThat(permits.rate()).isEqualTo(MessageRate.perSecond(1000));
      waiting.onComplete(test.succeedingThenComplete());
    });
  }

  @Test
  void aHigherRatePacesNewCallersFaster(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, GLACIAL);
      permits.acquire();

      permits.setRate(MessageRate.perSecond(1000));

      Future.all(acquire(permits, 20)).onComplete(test.succeedingThenComplete());
    });
  }

  @Test
  void aLowerRateAppliesToCallersAlreadyWaiting(Vertx vertx, VertxTestContext test) {
    long start = System.nanoTime();
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, MessageRate.perSecond(1000));
      permits.acquire();
      List<Future<Void>> waiting = acquire(permits, 4);

      permits.setRate(MessageRate.perSecond(10));

      allGrantedNoSoonerThan(test, waiting, start, Duration.ofMillis(3 * 100));
    });
  }

  @Test
  void theFirstPermitAfterARateChangeWaitsOneNewInterval(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      // a fresh limiter holds a permit: without care, a change would hand it out at once
      PacedPermits permits = PacedPermits.at(vertx, MessageRate.perSecond(10));
      long changed = System.nanoTime();

      permits.setRate(MessageRate.perSecond(20));

      allGrantedNoSoonerThan(test, List.of(permits.acquire()), changed, Duration.ofMillis(50));
    });
  }

  @Test
  void settingTheRateInEffectChangesNothing(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, MessageRate.perSecond(1));

      permits.setRate(MessageRate.perSecond(1));

      assertThat(permits.acquire().succeeded()).isTrue(); // the first permit was not spent
      test.completeNow();
    });
  }

  @Test
  void aLimitSetLaterPacesFromThenOn(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.unlimited(vertx);
      acquire(permits, 100);
      long limited = System.nanoTime();

      permits.setRate(MessageRate.perSecond(20));

      assertThat(permits.rate()).isEqualTo(MessageRate.perSecond(20));
      allGrantedNoSoonerThan(test, acquire(permits, 5), limited, Duration.ofMillis(4 * 50));
    });
  }

  @Test
  void removingTheLimitReleasesEveryWaitingCaller(Vertx vertx, VertxTestContext test) {
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = PacedPermits.at(vertx, GLACIAL);
      List<Future<Void>> grants = acquire(permits, 3);

      permits.setRate(null);

      assertThat(grants).allMatch(Future::succeeded);
      assertThat(permits.waiting()).isZero();
      assertThat(permits.rate()).isNull();
      test.completeNow();
    });
  }

  @Test
  void everyCallerGetsExactlyOnePermitThroughManyRateChanges(
      Vertx vertx, VertxTestContext test) {
    Checkpoint everyCaller = test.checkpoint(20); // strict: a second grant to a caller fails it
    onOneEventLoop(vertx, test, () -> {
      PacedPermits permits = new PacedPermits(vertx, GLACIAL, Duration.ofMinutes(5));
      acquire(permits, 20).forEach(grant -> grant.onComplete(test.succeeding(v -> everyCaller.flag())));

      double[] rates = {5, 0.02, 200, 0.01, 50, 1000};
      for (int i = 0; i < rates.length; i++) {
        MessageRate next = MessageRate.perSecond(rates[i]);
        vertx.setTimer(10L * (i + 1), id -> permits.setRate(next));
      }
    });
  }

  private static void onOneEventLoop(Vertx vertx, VertxTestContext test, Runnable body) {
    vertx.runOnContext(v -> test.verify(body::run));
  }

  private static List<Future<Void>> acquire(PacedPermits permits, int count) {
    return IntStream.range(0, count).mapToObj(i -> permits.acquire()).toList();
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Completes the test once every grant is in, and not sooner than {@code atLeast} after {@code since}. */
  private static void allGrantedNoSoonerThan(VertxTestContext test, List<Future<Void>> grants, long since,
      Duration atLeast) {
    Future.all(grants).onComplete(test.succeeding(all -> test.verify(() -> {
      assertThat(elapsedSince(since)).isGreaterThanOrEqualTo(atLeast);
      test.completeNow();
    })));
  }
}
