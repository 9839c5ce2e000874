package io.postroom.dispatcher;

import io.postroom.contract.config.ConfigException;
import io.postroom.dispatcher.config.ConfigLoader;
import io.postroom.dispatcher.config.PostroomConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code bin/postroom dispatcher}: configuration from POSTROOM_CONFIG and the environment.
 *
 * <p>Exit codes: 0 after a graceful stop (SIGTERM or SIGINT: drained, committed, closed), 1 when the
 * dispatcher could not start or stop cleanly, 2 for a configuration error. SIGTERM is handled here
 * rather than in a shutdown hook, because a JVM ended by a signal exits with 143 whatever its hooks
 * did, and an orchestrator should see a clean stop as one.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Beyond the drain deadline: closing the Kafka clients and the mail pools. */
  private static final long CLOSE_GRACE_SECONDS = 10;

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    PostroomConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      System.err.println("postroom: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Dispatcher dispatcher;
    try {
      dispatcher = Dispatcher.start(config).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("postroom: dispatcher did not start: " + cause.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch signalled = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(1);
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), received -> {
        if (signalled.getCount() > 0) {
          signalled.countDown();
          LOG.info("SIG{}: shutting down gracefully", signal);
          dispatcher.stop().onComplete(ar -> {
            exitCode.set(ar.succeeded() ? 0 : 1);
            stopped.countDown();
          });
        }
      });
    }
    signalled.await();
    long waitSeconds = config.dispatch().shutdownDeadline().toSeconds() + CLOSE_GRACE_SECONDS;
    if (!stopped.await(waitSeconds, TimeUnit.SECONDS)) {
      LOG.error("did not stop within {} s; exiting anyway", waitSeconds);
    }
    System.exit(exitCode.get());
  }
}
