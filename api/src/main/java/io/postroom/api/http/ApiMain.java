package io.postroom.api.http;

import io.postroom.contract.cli.Cli;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.process.StartFailure;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import sun.misc.Signal;

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
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();

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
    // before the start: a SIGTERM while it waits for Kafka must stop it, not be ignored
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), received -> {
        LOG.info("SIG{}: stopping", signal);
        stop(vertx, server, 0, null);
      });
    }
    Duration startBound = config.kafkaStartTimeout().plus(START_MARGIN);
    server.start().toCompletionStage().toCompletableFuture()
        .orTimeout(startBound.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((port, error) -> {
          if (error instanceof TimeoutException) {
            stop(vertx, server, 1, "api did not start within " + startBound.toSeconds() + " s; see the log above");
          } else if (error != null) {
            stop(vertx, server, 1, "api did not start: " + StartFailure.sentence(error));
          }
        });
    try {
      return exit.get();
    } catch (Exception e) {
      System.err.println("postroom: " + e);
      return 1;
    }
  }

  /** The one way out: closes the api and Vert.x (once), at most {@link #STOP_GRACE}, then hands the code to main. */
  private void stop(Vertx vertx, ApiServer server, int code, String reason) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Thread stopper = new Thread(() -> {
      int result = code;
      String line = reason;
      try {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        server.close().onComplete(ar -> vertx.close().onComplete(v -> closed.complete(null)));
        closed.get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        result = 1;
        line = line != null ? line : "did not stop within " + STOP_GRACE.toSeconds() + " s; exiting anyway";
      } catch (Exception e) {
        result = 1;
        line = line != null ? line : "did not stop cleanly: " + StartFailure.sentence(e);
      }
      if (line != null) {
        System.err.println("postroom: " + line);
      }
      exit.complete(result);
    }, "postroom-stop");
    stopper.setDaemon(true);
    stopper.start();
  }
}
