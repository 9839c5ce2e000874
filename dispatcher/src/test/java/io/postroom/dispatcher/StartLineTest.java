package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class StartLineTest {

  @Test
  void noInstanceGoesBeforeTheLastHasArrived(Vertx vertx, VertxTestContext test) {
    StartLine line = new StartLine(2);
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
    first.runOnContext(v -> {
      Future<Void> waiting = line.arrive(first);
      vertx.setTimer(100, id -> {
        test.verify(() -> assertThat(waiting.isComplete()).as("released with one of two arrived").isFalse());
        second.runOnContext(w -> line.arrive(second));
        waiting.onComplete(test.succeedingThenComplete());
      });
    });
  }

  @Test
  void eachInstanceIsReleasedOnItsOwnContext(Vertx vertx, VertxTestContext test) {
    StartLine line = new StartLine(2);
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
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
  void anInstanceThatFailsToGetReadyReleasesTheOthersWithItsFailure(Vertx vertx, VertxTestContext test) {
    StartLine line = new StartLine(3);
    Context context = vertx.getOrCreateContext();
    IllegalStateException cause = new IllegalStateException("no metadata for topic mail.status");
    context.runOnContext(v -> {
      line.arrive(context).onComplete(test.failing(e -> test.verify(() -> {
        assertThat(e).isSameAs(cause);
        test.completeNow();
      })));
      line.abandon(cause);
    });
  }

  @Test
  void anArrivalAfterAFailureFailsAtOnce(Vertx vertx, VertxTestContext test) {
    StartLine line = new StartLine(2);
    IllegalStateException cause = new IllegalStateException("cannot create the retry topics");
    line.abandon(cause);

    line.arrive(vertx.getOrCreateContext()).onComplete(test.failing(e -> test.verify(() -> {
      assertThat(e).isSameAs(cause);
      test.completeNow();
    })));
  }

  @Test
  void anAssignmentWaitsUntilEveryInstanceHasBeenAssignedOnce(Vertx vertx, VertxTestContext test) {
    StartLine line = new StartLine(2);
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
    first.runOnContext(v -> {
      Future<Void> firstAssignment = line.assigned(first);
      vertx.setTimer(100, id -> {
        test.verify(() -> assertThat(firstAssignment.isComplete())
            .as("the first to join holds its partitions while the group is still forming").isFalse());
        second.runOnContext(w -> line.assigned(second));
        firstAssignment.onComplete(test.succeedingThenComplete());
      });
    });
  }

  @Test
  void onceEveryInstanceHasBeenAssignedLaterAssignmentsPassAtOnce(Vertx vertx, VertxTestContext test) {
    StartLine line = new StartLine(2);
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
    first.runOnContext(v -> line.assigned(first));
    second.runOnContext(v -> line.assigned(second).onComplete(test.succeeding(ok ->
        first.runOnContext(w -> line.assigned(first).onComplete(test.succeedingThenComplete())))));
  }
}
