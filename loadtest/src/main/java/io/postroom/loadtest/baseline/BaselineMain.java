package io.postroom.loadtest.baseline;

import io.postroom.contract.cli.Cli;
import io.postroom.contract.cli.OptionValues;
import io.postroom.loadtest.baseline.BaselineOptions.Client;
import io.postroom.loadtest.baseline.BaselineOptions.KafkaTopics;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/postroom bench}'s baselines as a program: sends {@code --messages} messages with
 * {@code --client vertx|jakarta|jakarta-per-message|kafka-ceiling} (the options make a
 * {@link BaselineOptions}) and prints one JSON line with what it measured (fields:
 * {@link BaselineResult#toJson()}). Exit code 0 if every message was sent (or every one started
 * within {@code --max-seconds}), 1 if any failed, 2 for a bad option, with one line on stderr
 * naming it. The benchmark runs it in a JVM of its own per sender.
 */
@Command(name = "bin/postroom bench baseline",
    sortOptions = false,
    description = {"One baseline sender of bin/postroom bench, in a JVM of its own: sends --messages messages",
        "through a relay and prints one JSON line with what it measured.", ""},
    footer = {"", "Exit codes: 0 every message sent (or started within --max-seconds); 1 some failed; 2 a bad option."})
public final class BaselineMain implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--client", required = true, paramLabel = "CLIENT",
      description = "vertx, jakarta, jakarta-per-message or kafka-ceiling")
  private String client;

  @Option(names = "--host", required = true, paramLabel = "HOST",
      description = "the relay's host name, as its certificate names it")
  private String host;

  @Option(names = "--port", required = true, paramLabel = "N", description = "the relay's STARTTLS port, e.g. 587")
  private long port;

  @Option(names = "--username", required = true, paramLabel = "NAME", description = "the relay's AUTH user")
  private String username;

  @Option(names = "--password-file", required = true, paramLabel = "FILE",
      description = "a file holding the AUTH password (without its trailing line end)")
  private Path passwordFile;

  @Option(names = "--trust-pem", required = true, paramLabel = "FILE",
      description = "a PEM file with the CA certificate(s) the relay's certificate is checked against")
  private Path trustPem;

  @Option(names = "--messages", required = true, paramLabel = "N",
      description = "how many messages to send (for kafka-ceiling: jobs to handle), at most 10,000,000")
  private long messages;

  @Option(names = "--size", paramLabel = "BYTES", description = "message size (${DEFAULT-VALUE})")
  private long size = 1024;

  @Option(names = "--connections", paramLabel = "N", description = "connections and sends in flight (${DEFAULT-VALUE})")
  private long connections = 8;

  @Option(names = "--run-id", paramLabel = "ID", description = "goes into the Message-IDs (a new base-36 timestamp)")
  private String runId;

  @Option(names = "--max-seconds", paramLabel = "S", description = "after S seconds no new message is started and the"
      + " run reports what was sent (no limit)")
  private Double maxSeconds;

  @Option(names = "--warmup", paramLabel = "W", description = "messages sent first, in the same JVM, and not measured"
      + " (${DEFAULT-VALUE}); the time box applies to each part alone")
  private long warmup;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "kafka-ceiling: the Kafka brokers")
  private String bootstrap;

  @Option(names = "--jobs-topic", paramLabel = "NAME", description = "kafka-ceiling: the topic the jobs are read from")
  private String jobsTopic;

  @Option(names = "--status-topic", paramLabel = "NAME",
      description = "kafka-ceiling: the topic the statuses are written to")
  private String statusTopic;

  public BaselineMain() {
  }

  public static void main(String[] args) {
    Cli.exit(new BaselineMain(), args);
  }

  /** The program without {@link System#exit}: the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Cli.run(new BaselineMain(), args, out, err);
  }

  /** What the options ask for; an option that cannot be used is refused, naming it. */
  BaselineOptions options() {
    Client chosen = Arrays.stream(Client.values()).filter(c -> c.option().equalsIgnoreCase(client.trim())).findFirst()
        .orElseThrow(() -> Cli.invalid(spec, "--client", "'" + client + "' is not one of "
            + Arrays.stream(Client.values()).map(Client::option).collect(Collectors.joining(", "))));
    if (host.isBlank()) {
      throw Cli.invalid(spec, "--host", "must not be empty");
    }
    if (maxSeconds != null && !(maxSeconds > 0)) {
      throw Cli.invalid(spec, "--max-seconds", "must be a positive number of seconds, got " + maxSeconds);
    }
    KafkaTopics kafka = chosen == Client.KAFKA_CEILING && bootstrap != null && jobsTopic != null
        && statusTopic != null ? new KafkaTopics(bootstrap, jobsTopic, statusTopic) : null;
    try {
      return new BaselineOptions(chosen, host.trim(), (int) OptionValues.range(spec, "--port", port, 1, 65535),
          username, readable("--password-file", passwordFile), readable("--trust-pem", trustPem),
          (int) OptionValues.range(spec, "--messages", messages, 1, BaselineOptions.MAX_MESSAGES),
          (int) OptionValues.range(spec, "--size", size, 1, BaselineOptions.MAX_SIZE),
          (int) OptionValues.range(spec, "--connections", connections, 1, BaselineOptions.MAX_CONNECTIONS),
          runId == null ? Long.toString(System.currentTimeMillis(), 36) : runId, maxSeconds == null ? 0 : maxSeconds,
          (int) OptionValues.range(spec, "--warmup", warmup, 0, BaselineOptions.MAX_MESSAGES), kafka);
    } catch (IllegalArgumentException e) {
      throw refused(e);
    }
  }

  /** A problem found past the options' parsing, as "--option: problem": refused as any option is. */
  private ParameterException refused(IllegalArgumentException e) {
    String[] optionAndProblem = e.getMessage().split(": ", 2);
    return optionAndProblem.length == 2 && optionAndProblem[0].matches("--[a-z-]+")
        ? Cli.invalid(spec, optionAndProblem[0], optionAndProblem[1])
        : new ParameterException(spec.commandLine(), e.getMessage());
  }

  private Path readable(String option, Path path) {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw Cli.invalid(spec, option, path + " is not a readable file");
    }
    return path;
  }

  @Override
  public Integer call() {
    BaselineOptions options = options();
    BaselineResult result;
    try {
      result = Baseline.run(options);
    } catch (IllegalArgumentException e) {
      // the password file or the trust PEM, read only now: "--trust-pem: ... holds no certificate"
      throw refused(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(result.toJson().encode());
    out.flush();
    if (result.firstError() != null) {
      spec.commandLine().getErr().println("postroom bench baseline: " + result.failed() + " failed; the first: "
          + result.firstError());
    }
    return result.exitCode();
  }
}
