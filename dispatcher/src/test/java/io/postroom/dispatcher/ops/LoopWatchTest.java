package io.postroom.dispatcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LoopWatchTest {

  @Test
  void anEventLoopStuckLongerThanTheLimitEndsTheProcessNamingIt(Vertx vertx, VertxTestContext test) {
    Lifeline lifeline = new Lifeline();
    LoopWatch watch = new LoopWatch(Duration.ofSeconds(1), lifeline);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      watch.watch("instance 0", context);
      // the fault under test: a task that holds its loop for 3 s
      sleep(3_000);
    });

    lifeline.reason().whenComplete((reason, error) -> test.verify(() -> {
      assertThat(reason).startsWith("the event loop of instance 0 has been blocked for more than 1 s")
          .contains("dispatch.blockedLoopLimit");
      watch.close();
      test.completeNow();
    }));
  }

  @Test
  void aLoopThatKeepsTurningIsLeftAlone(Vertx vertx, VertxTestContext test) throws InterruptedException {
    Lifeline lifeline = new Lifeline();
    LoopWatch watch = new LoopWatch(Duration.ofSeconds(1), lifeline);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> watch.watch("instance 0", context));

    vertx.setTimer(3_000, id -> test.verify(() -> {
      assertThat(lifeline.ended()).isFalse();
      watch.close();
      test.completeNow();
    }));
    assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
