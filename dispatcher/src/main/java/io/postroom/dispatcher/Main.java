package io.postroom.dispatcher;

import io.postroom.dispatcher.config.ConfigException;
import io.postroom.dispatcher.config.ConfigLoader;
import io.postroom.dispatcher.config.PostroomConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code bin/postroom dispatcher}: configuration from POSTROOM_CONFIG and the environment. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

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
    CountDownLatch stopped = new CountDownLatch(1);
    long waitSeconds = config.dispatch().shutdownDeadline().toSeconds() + 10;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: shutting down gracefully");
      dispatcher.stop().onComplete(ar -> stopped.countDown());
      try {
        stopped.await(waitSeconds, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "postroom-shutdown"));
    stopped.await();
  }
}
