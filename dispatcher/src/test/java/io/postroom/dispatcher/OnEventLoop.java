package io.postroom.dispatcher;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;

/** For tests of event-loop confined classes: the body runs on an event loop, as in the dispatcher. */
public final class OnEventLoop {
  private OnEventLoop() {
  }

  /** Runs {@code body} on an event loop; the test fails with what it throws, or completes after it. */
  public static void verify(Vertx vertx, VertxTestContext test, VertxTestContext.ExecutionBlock body) {
    vertx.runOnContext(v -> test.verify(() -> {
      body.apply();
      test.completeNow();
    }));
  }
}
