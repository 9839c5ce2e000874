package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.OnEventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SendDeadlinesTest {
  private static final Duration HOUR = Duration.ofHours(1);
  /** Past the deadline of a send bounded now: what a sweep an hour later sees. */
  private static final long AN_HOUR_LATER = HOUR.toNanos() + 1;

  private SendDeadlines deadlines;

  /** Sends bounded to an hour; made on the event loop, where they are confined. */
  private SendDeadlines deadlines(Vertx vertx) {
    deadlines = new SendDeadlines(vertx, HOUR);
    return deadlines;
  }

  @AfterEach
  void close() {
    if (deadlines != null) {
      deadlines.close();
    }
  }

  @Test
  void aSendThatEndsInTimeKeepsItsOutcome(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      Future<String> bounded = deadlines(vertx).bound(Future.succeededFuture("250 ok"));

      assertThat(bounded.succeeded()).isTrue();
      assertThat(bounded.result()).isEqualTo("250 ok");
      assertThat(deadlines.watched()).isZero();
    });
  }

  @Test
  void aSendPastItsDeadlineFailsWithATimeout(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      Future<String> bounded = deadlines(vertx).bound(Promise.<String>promise().future());

      deadlines.sweep(System.nanoTime() + AN_HOUR_LATER);

      assertThat(bounded.failed()).isTrue();
      assertThat(bounded.cause()).isInstanceOf(TimeoutException.class).hasMessageContaining("3600000ms");
      assertThat(deadlines.watched()).isZero();
    });
  }

  @Test
  void aSendBeforeItsDeadlineIsLeftAlone(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      Future<String> bounded = deadlines(vertx).bound(Promise.<String>promise().future());

      deadlines.sweep(System.nanoTime());

      assertThat(bounded.isComplete()).isFalse();
      assertThat(deadlines.watched()).isOne();
    });
  }

  @Test
  void anAnswerAfterTheTimeoutIsIgnored(Vertx vertx, VertxTestContext test) {
    OnEventLoop.verify(vertx, test, () -> {
      Promise<String> send = Promise.promise();
      Future<String> bounded = deadlines(vertx).bound(send.future());
      deadlines.sweep(System.nanoTime() + AN_HOUR_LATER);

      send.complete("250 too late");

      assertThat(bounded.failed()).isTrue();
    });
  }
}
