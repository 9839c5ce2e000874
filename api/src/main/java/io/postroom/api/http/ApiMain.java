package io.postroom.api.http;

import io.postroom.contract.config.ConfigException;
import io.postroom.contract.process.ProcessLife;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/postroom api}: configuration from POSTROOM_CONFIG and the environment
 * ({@link ApiConfig}). Exit codes as the dispatcher's: 0 after a graceful stop (SIGTERM, SIGINT,
 * also during the start), 1 when it could not start or stop cleanly, 2 for a configuration error;
 * every exit but 0 prints one line {@code postroom: ...} saying why. The start is bounded by
 * {@code kafka.startTimeout} plus {@link #START_MARGIN}, a stop by {@link #STOP_GRACE}.
 *
 * <p>{@code bin/postroom api-key TENANT} prints a new API key and the hash that goes into
 * {@code tenants.TENANT.apiKeys}.
 */
public final class ApiMain {
  private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);
  private static final Duration START_MARGIN = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  static final String HELP = """
      usage: bin/postroom api
             bin/postroom api-key TENANT

      api: runs the HTTP api (POST /v1/jobs, GET /v1/jobs/{id}, the dashboard at /) on POSTROOM_API_PORT
      (8080). Configuration: POSTROOM_CONFIG (its kafka, api and tenants sections),
      POSTROOM_KAFKA_BOOTSTRAP, POSTROOM_API_STATE_DIR; the README lists every key.
      api-key: prints a new API key for TENANT and the hash to put in tenants.TENANT.apiKeys.
      Exit codes: 0 stopped by SIGTERM/SIGINT; 1 could not start (the last line says why); 2 configuration error.""";

  private ApiMain() {
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(HELP);
      System.exit(0);
    }
    if (args.length > 0 && args[0].equals("api-key")) {
      newKey(args);
      return;
    }
    if (args.length > 0) {
      System.err.println("postroom: api takes no arguments, got " + String.join(" ", args) + "\n" + HELP);
      System.exit(2);
    }
    ApiConfig config;
    try {
      config = ApiConfig.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("postroom: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(new ApiMain().run(config));
  }

  /** Runs the api until it is stopped or fails to start; the exit code. Never waits without a bound. */
  private int run(ApiConfig config) {
    Vertx vertx = Vertx.vertx();
    ApiServer server = new ApiServer(vertx, config);
    ProcessLife life = new ProcessLife(() -> {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      server.close().onComplete(ar -> vertx.close().onComplete(v -> closed.complete(null)));
      return closed;
    }, STOP_GRACE, () -> "did not stop within " + STOP_GRACE.toSeconds() + " s; exiting anyway");
    life.stopOnSignals(signal -> LOG.info("{}: stopping", signal));
    Duration startBound = config.kafkaStartTimeout().plus(START_MARGIN);
    life.started(server.start().toCompletionStage(), "api", startBound,
        () -> "api did not start within " + startBound.toSeconds() + " s; see the log above");
    return life.exitCode();
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
