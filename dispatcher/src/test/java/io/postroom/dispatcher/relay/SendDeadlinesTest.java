package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SendDeadlinesTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aSendThatEndsInTimeKeepsItsOutcome(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      SendDeadlines deadlines = new SendDeadlines(vertx, HOUR);
      deadlines.bound(Future.succeededFuture("250 ok")).onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply).isEqualTo("250 ok");
        assertThat(deadlines.watched()).isZero();
        deadlines.close();
        test.completeNow();
      })));
    });
  }

  @Test
  void aSendPastItsDeadlineFailsWithATimeout(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      SendDeadlines deadlines = new SendDeadlines(vertx, HOUR);
      Future<String> bounded = deadlines.bound(Promise.<String>promise().future());

      deadlines.sweep(System.nanoTime() + HOUR.toNanos() + 1);

      bounded.onComplete(test.failing(error -> test.verify(() -> {
        assertThat(error).isInstanceOf(TimeoutException.class).hasMessageContaining("3600000ms");
        assertThat(deadlines.watched()).isZero();
        deadlines.close();
        test.completeNow();
      })));
    });
  }

  @Test
  void aSendBeforeItsDeadlineIsLeftAlone(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      SendDeadlines deadlines = new SendDeadlines(vertx, HOUR);
      Future<String> bounded = deadlines.bound(Promise.<String>promise().future());

      deadlines.sweep(System.nanoTime());

      test.verify(() -> {
        assertThat(bounded.isComplete()).isFalse();
        assertThat(deadlines.watched()).isOne();
      });
      deadlines.close();
      test.completeNow();
    });
  }

  @Test
  void anAnswerAfterTheTimeoutIsIgnored(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      SendDeadlines deadlines = new SendDeadlines(vertx, HOUR);
      Promise<String> send = Promise.promise();
      Future<String> bounded = deadlines.bound(send.future());
      deadlines.sweep(System.nanoTime() + HOUR.toNanos() + 1);

      send.complete("250 too late");

      test.verify(() -> assertThat(bounded.failed()).isTrue());
      deadlines.close();
      test.completeNow();
    });
  }

  @Test
  void theSweepFailsALateSendByItself(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      SendDeadlines deadlines = new SendDeadlines(vertx, Duration.ofMillis(50));
      deadlines.bound(Promise.<String>promise().future()).onComplete(test.failing(error -> test.verify(() -> {
        assertThat(error).isInstanceOf(TimeoutException.class);
        deadlines.close();
        test.completeNow();
      })));
    });
  }
}
