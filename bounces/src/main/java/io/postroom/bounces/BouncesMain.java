package io.postroom.bounces;

import io.postroom.bounces.config.BouncesConfig;
import io.postroom.contract.cli.Cli;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.process.ProcessLife;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code bin/postroom bounces}: configuration from POSTROOM_CONFIG and the environment. */
@Command(name = "bin/postroom bounces",
    description = {
        "Runs the bounce reader: reads delivery status notifications (RFC 3464) and feedback-loop",
        "complaints (RFC 5965) from the bounce mailbox over IMAP with TLS, publishes BOUNCED and",
        "COMPLAINED follow-ups on mail.status and suppressions on mail.suppressions, and moves each",
        "report to a processed or an aside folder. Configuration: POSTROOM_CONFIG (its kafka,",
        "compliance and bounces sections) and POSTROOM_* variables; docs/bounces.md explains it,",
        "docs/configuration.md lists every key. Health and metrics:",
        "http://0.0.0.0:$POSTROOM_BOUNCES_HTTP_PORT/health/live, /health/ready, /metrics.",
        ""},
    footer = {"", "Exit codes: 0 stopped by SIGTERM/SIGINT; 1 could not start, or cannot go on (the last line",
        "says why); 2 configuration error or an unknown option."})
public final class BouncesMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(BouncesMain.class);
  private static final Duration STOP_BOUND = Duration.ofSeconds(45);
  private static final Duration START_MARGIN = Duration.ofSeconds(30);

  public BouncesMain() {
  }

  public static void main(String[] args) {
    Cli.exit(new BouncesMain(), args);
  }

  @Override
  public Integer call() {
    BouncesConfig config;
    try {
      config = BouncesConfig.fromEnvironment();
    } catch (ConfigException e) {
      System.err.println("postroom: configuration error: " + e.getMessage());
      return Cli.USAGE;
    }
    BounceService service = new BounceService(config, Clock.systemUTC());
    ProcessLife life = new ProcessLife(service::stop, STOP_BOUND,
        () -> "the bounce reader did not stop within " + STOP_BOUND.toSeconds() + " s");
    life.stopOnSignals(signal -> LOG.info("{}: shutting down", signal));
    Duration startBound = config.kafka().startTimeout().plus(START_MARGIN);
    life.started(service.start(), "bounce reader", startBound,
            () -> "the bounce reader did not start within " + startBound.toSeconds()
                + " s; check Kafka (POSTROOM_KAFKA_BOOTSTRAP) and the log above")
        .thenRun(() -> service.fatal().thenAccept(reason -> life.stop(1, "bounce reader stopped: " + reason)));
    return life.exitCode();
  }
}
