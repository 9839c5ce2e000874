package io.postroom.api.http;

import io.postroom.contract.cli.Cli;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.process.ProcessLife;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code bin/postroom api}: configuration from POSTROOM_CONFIG and the environment
 * ({@link ApiConfig}). Exit codes as the dispatcher's: 0 after a graceful stop (SIGTERM, SIGINT,
 * also during the start), 1 when it could not start or stop cleanly, 2 for a configuration error;
 * every exit but 0 prints one line {@code postroom: ...} saying why. The start is bounded by
 * {@code kafka.startTimeout} plus {@link #START_MARGIN}, a stop by {@link #STOP_GRACE}.
 *
 * <p>{@code bin/postroom api-key TENANT} is {@link ApiKeyCommand}.
 */
@Command(name = "bin/postroom api",
    description = {
        "Runs the HTTP api (POST /v1/jobs, GET /v1/jobs/{id}, the dashboard at /) on",
        "POSTROOM_API_PORT (8080). Configuration: POSTROOM_CONFIG (its kafka, api and tenants sections),",
        "POSTROOM_KAFKA_BOOTSTRAP, POSTROOM_API_STATE_DIR; docs/configuration.md lists every key.",
        "bin/postroom api-key TENANT makes a tenant's API key.", ""},
    footer = {"", "Exit codes: 0 stopped by SIGTERM/SIGINT; 1 could not start (the last line says why);",
        "2 configuration error or an unknown option."})
public final class ApiMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);
  private static final Duration START_MARGIN = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  public ApiMain() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("api-key")) {
      // the image's entry point: java ... ApiMain api-key TENANT
      Cli.exit(new ApiKeyCommand(), Arrays.copyOfRange(args, 1, args.length));
    }
    Cli.exit(new ApiMain(), args);
  }

  /** Reads the configuration and runs the api: the exit code. */
  @Override
  public Integer call() {
    ApiConfig config;
    try {
      config = ApiConfig.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("postroom: configuration error: " + e.getMessage());
      return Cli.USAGE;
    }
    return run(config);
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
    Duration startBound = config.kafka().startTimeout().plus(START_MARGIN);
    life.started(server.start().toCompletionStage(), "api", startBound,
        () -> "api did not start within " + startBound.toSeconds() + " s; see the log above");
    return life.exitCode();
  }
}
