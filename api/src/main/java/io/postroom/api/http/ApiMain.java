package io.postroom.api.http;

import io.postroom.contract.config.ConfigException;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code bin/postroom api}: configuration from POSTROOM_CONFIG and the environment
 * ({@link ApiConfig}). Exit codes as the dispatcher's: 0 after a graceful stop (SIGTERM, SIGINT),
 * 1 when it could not start, 2 for a configuration error.
 *
 * <p>{@code bin/postroom api-key TENANT} prints a new API key and the hash that goes into
 * {@code tenants.TENANT.apiKeys}.
 */
public final class ApiMain {
  private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);

  private ApiMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("api-key")) {
      newKey(args);
      return;
    }
    ApiConfig config;
    try {
      config = ApiConfig.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("postroom: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    ApiServer server = new ApiServer(vertx, config);
    try {
      server.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("postroom: api did not start: " + cause.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), received -> {
        LOG.info("SIG{}: stopping", signal);
        server.close().eventually(vertx::close).onComplete(ar -> stopped.countDown());
      });
    }
    stopped.await();
    System.exit(0);
  }

  private static void newKey(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: bin/postroom api-key TENANT");
      System.exit(2);
    }
    String key = ApiKeys.generate();
    System.out.println("API key for tenant " + args[1] + " (give it to the tenant; it is not stored anywhere):");
    System.out.println("  " + key);
    System.out.println("its hash, for tenants." + args[1] + ".apiKeys in POSTROOM_CONFIG:");
    System.out.println("  " + ApiKeys.hash(key));
  }
}
