package io.postroom.dispatcher;

import io.postroom.contract.cli.Cli;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.process.ProcessLife;
import io.postroom.dispatcher.config.ConfigLoader;
import io.postroom.dispatcher.config.PostroomConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code bin/postroom dispatcher}: configuration from POSTROOM_CONFIG and the environment.
 *
 * <p>Exit codes: 0 after a graceful stop (SIGTERM or SIGINT: drained, committed, closed, also during
 * the start), 1 when the dispatcher could not start, could not stop cleanly, or ended for a fault it
 * cannot recover from (see the README's operations section), 2 for a configuration error or an
 * unknown option. Every exit but 0 prints one line {@code postroom: ...} saying why, and every path ends within a bound: the
 * start within {@code kafka.startTimeout} plus {@link #START_MARGIN}, a stop within
 * {@code dispatch.shutdownDeadline} plus {@link #CLOSE_GRACE}. SIGTERM is handled here rather than in
 * a shutdown hook, because a JVM ended by a signal exits with 143 whatever its hooks did, and an
 * orchestrator should see a clean stop as one.
 */
@Command(name = "bin/postroom dispatcher",
    description = {
        "Runs a dispatcher: reads jobs from Kafka and sends them through the configured relays.",
        "Configuration: POSTROOM_CONFIG (a JSON file) and POSTROOM_* variables; docs/configuration.md lists",
        "every key. Health and metrics: http://0.0.0.0:$POSTROOM_HTTP_PORT/health/live, /health/ready,",
        "/metrics.",
        ""},
    footer = {"", "Exit codes: 0 stopped by SIGTERM/SIGINT; 1 could not start, or ended for a fault it cannot",
        "ride out (the last line says which); 2 configuration error or an unknown option."})
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Beyond the drain deadline: closing the Kafka clients and the mail pools. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
  /** Beyond the Kafka start timeout: the producers, the status topic read, joining the group. */
  private static final Duration START_MARGIN = Duration.ofSeconds(45);

  public Main() {
  }

  public static void main(String[] args) {
    Cli.exit(new Main(), args);
  }

  /** Reads the configuration and runs the dispatcher: the exit code. */
  @Override
  public Integer call() {
    PostroomConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      System.err.println("postroom: configuration error: " + e.getMessage());
      return Cli.USAGE;
    }
    return run(config);
  }

  /** Runs the dispatcher until it is stopped or fails; the exit code. Never waits without a bound. */
  private int run(PostroomConfig config) {
    Dispatcher dispatcher;
    try {
      // reads the tenants' DKIM keys: a key that cannot be used is a configuration error too
      dispatcher = Dispatcher.create(config);
    } catch (ConfigException e) {
      System.err.println("postroom: configuration error: " + e.getMessage());
      return Cli.USAGE;
    }
    Duration stopBound = config.dispatch().shutdownDeadline().plus(CLOSE_GRACE);
    ProcessLife life = new ProcessLife(() -> dispatcher.stop().toCompletionStage(), stopBound, () -> {
      String kafka = dispatcher.kafkaState();
      return "did not stop within " + stopBound.toSeconds() + " s (dispatch.shutdownDeadline + "
          + CLOSE_GRACE.toSeconds() + " s)" + (kafka == null ? "" : ": " + kafka)
          + "; uncommitted jobs are sent again by the next dispatcher";
    });
    life.stopOnSignals(signal -> LOG.info("{}: shutting down gracefully", signal));
    Duration startBound = config.faults().kafkaStartTimeout().plus(START_MARGIN);
    life.started(dispatcher.start().toCompletionStage(), "dispatcher", startBound,
            () -> "dispatcher did not start within " + startBound.toSeconds() + " s (it was " + dispatcher.startStep()
                + "); check Kafka (POSTROOM_KAFKA_BOOTSTRAP) and the log above")
        .thenRun(() -> dispatcher.fatal().thenAccept(reason -> life.stop(1, "dispatcher stopped: " + reason)));
    return life.exitCode();
  }
}
