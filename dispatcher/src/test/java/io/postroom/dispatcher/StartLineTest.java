package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class StartLineTest {
  /** A process of two instances, each on its own event loop. */
  private final StartLine line = new StartLine(2);
  private Context first;
  private Context second;

  @BeforeEach
  void eventLoops(Vertx vertx) {
    first = vertx.getOrCreateContext();
    second = vertx.getOrCreateContext();
  }

  @Test
  void noInstanceGoesBeforeTheLastHasArrived(Vertx vertx, VertxTestContext test) {
    firstWaitsForTheSecond(vertx, test, StartLine::arrive, "released with one of two arrived");
  }

  @Test
  void eachInstanceIsReleasedOnItsOwnContext(VertxTestContext test) {
    var released = test.checkpoint(2);
    first.runOnContext(v -> line.arrive(first).onComplete(test.succeeding(ok -> test.verify(() -> {
      assertThat(Vertx.currentContext()).isSameAs(first);
      released.flag();
    }))));
    second.runOnContext(v -> line.arrive(second).onComplete(test.succeeding(ok -> test.verify(() -> {
      assertThat(Vertx.currentContext()).isSameAs(second);
      released.flag();
    }))));
  }

  @Test
  void anInstanceThatFailsToGetReadyReleasesTheOthersWithItsFailure(VertxTestContext test) {
    IllegalStateException cause = new IllegalStateException("no metadata for topic mail.status");
    first.runOnContext(v -> {
      line.arrive(first).onComplete(test.failing(e -> test.verify(() -> {
        assertThat(e).isSameAs(cause);
        test.completeNow();
      })));
      line.abandon(cause);
    });
  }

  @Test
  void anArrivalAfterAFailureFailsAtOnce(VertxTestContext test) {
    IllegalStateException cause = new IllegalStateException("cannot create the retry topics");
    line.abandon(cause);

    line.arrive(first).onComplete(test.failing(e -> test.verify(() -> {
      assertThat(e).isSameAs(cause);
      test.completeNow();
    })));
  }

  @Test
  void anAssignmentWaitsUntilEveryInstanceHasBeenAssignedOnce(Vertx vertx, VertxTestContext test) {
    firstWaitsForTheSecond(vertx, test, StartLine::assigned,
        "the first to join holds its partitions while the group is still forming");
  }

  @Test
  void onceEveryInstanceHasBeenAssignedLaterAssignmentsPassAtOnce(VertxTestContext test) {
    first.runOnContext(v -> line.assigned(first));
    second.runOnContext(v -> line.assigned(second).onComplete(test.succeeding(ok ->
        first.runOnContext(w -> line.assigned(first).onComplete(test.succeedingThenComplete())))));
  }

  /** The first instance's {@code step} completes only once the second has taken it too. */
  private void firstWaitsForTheSecond(Vertx vertx, VertxTestContext test,
      BiFunction<StartLine, Context, Future<Void>> step, String stillWaiting) {
    first.runOnContext(v -> {
      Future<Void> waiting = step.apply(line, first);
      vertx.setTimer(100, id -> {
        test.verify(() -> assertThat(waiting.isComplete()).as(stillWaiting).isFalse());
        second.runOnContext(w -> step.apply(line, second));
        waiting.onComplete(test.succeedingThenComplete());
      });
    });
  }
}
