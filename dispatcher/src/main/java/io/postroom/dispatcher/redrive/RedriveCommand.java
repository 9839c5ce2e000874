package io.postroom.dispatcher.redrive;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.cli.Cli;
import io.postroom.contract.cli.Progress;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.process.StartFailure;
import io.postroom.dispatcher.config.ConfigLoader;
import io.postroom.contract.config.KafkaSection;
import io.postroom.dispatcher.config.PostroomConfig;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/postroom redrive}: re-drives dead letters into the jobs topic once their cause is
 * fixed. Kafka and topics come from the dispatcher's configuration (POSTROOM_CONFIG and the
 * POSTROOM_* variables).
 *
 * <p>Exit codes: 0 when done, 2 for a bad option or configuration (the message names it), 1 when
 * Kafka failed (the summary then says what was re-driven before the failure).
 */
@Command(name = "bin/postroom redrive",
    sortOptions = false,
    description = {
        "Publishes dead letters of mail.jobs.dlq back to mail.jobs (key and bytes as they were, with a",
        "postroom-redriven-from header). Reads the topic up to where it ended when the command started,",
        "without a consumer group and without committing anything. Kafka and the topics come from the",
        "dispatcher's configuration: POSTROOM_CONFIG and the POSTROOM_* variables.", ""},
    footer = {"", "Exit codes: 0 done; 1 Kafka failed (what was re-driven before the failure is listed);",
        "2 a bad option or configuration."})
public final class RedriveCommand implements Callable<Integer> {
  public static final int DONE = Cli.OK;
  public static final int KAFKA_FAILED = Cli.FAILED;
  public static final int BAD_ARGUMENTS = Cli.USAGE;

  @Spec
  private CommandSpec spec;

  @Option(names = "--code", paramLabel = "CODE[,CODE...]",
      description = "only letters with one of these postroom-error-code values, e.g. RETRIES_EXHAUSTED,EXPIRED;"
          + " repeatable (default: any code)")
  private List<String> codes = new ArrayList<>();

  @Option(names = "--since", paramLabel = "ISO-INSTANT",
      description = "only letters dead-lettered at or after it, e.g. 2026-11-22T10:00:00Z")
  private Instant since;

  @Option(names = "--until", paramLabel = "ISO-INSTANT", description = "only letters dead-lettered before this instant")
  private Instant until;

  @Option(names = "--dry-run", description = "list what would be re-driven; publish nothing")
  private boolean dryRun;

  private final Map<String, String> env;

  public RedriveCommand(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    Cli.exit(new RedriveCommand(System.getenv()), args);
  }

  /** The whole command, without exiting: returns the exit code. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    return Cli.run(new RedriveCommand(env), args.toArray(String[]::new), out, err);
  }

  /** The letters the options select; an option that cannot be used is refused, naming it. */
  RedriveRequest request() {
    Set<ErrorCode> selected = EnumSet.noneOf(ErrorCode.class);
    codes.forEach(value -> selected.addAll(codes(value)));
    if (since != null && until != null && !until.isAfter(since)) {
      throw Cli.invalid(spec, "--until", until + " is not later than --since " + since);
    }
    return new RedriveRequest(selected, since, until, dryRun);
  }

  private Set<ErrorCode> codes(String value) {
    Set<ErrorCode> parsed = EnumSet.noneOf(ErrorCode.class);
    for (String name : value.split(",", -1)) {
      String code = name.trim().toUpperCase(Locale.ROOT);
      if (code.isEmpty()) {
        throw Cli.invalid(spec, "--code", "'" + value + "' has an empty code; give codes such as RETRIES_EXHAUSTED,EXPIRED");
      }
      try {
        parsed.add(ErrorCode.valueOf(code));
      } catch (IllegalArgumentException e) {
        throw Cli.invalid(spec, "--code", "'" + name.trim() + "' is not one of "
            + Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.joining(", ")));
      }
    }
    return parsed;
  }

  @Override
  public Integer call() {
    RedriveRequest request = request();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PostroomConfig config;
    try {
      config = ConfigLoader.load(env);
    } catch (ConfigException e) {
      err.println("postroom: configuration error: " + e.getMessage());
      return BAD_ARGUMENTS;
    }
    KafkaSection kafka = config.kafka();
    // within kafka.startTimeout, in words: an unreachable broker or a missing topic, not a 60 s client timeout
    try (KafkaStartCheck check = KafkaStartCheck.reach(kafka.clientProperties("redrive-check"),
        "POSTROOM_KAFKA_BOOTSTRAP (kafka.bootstrap)", config.faults().kafkaStartTimeout())) {
      check.requireTopics(List.of(kafka.deadLetterTopic(), kafka.jobsTopic()), "kafka.topics (dlq, jobs)");
    } catch (StartFailure e) {
      err.println("postroom redrive: " + e.getMessage());
      return KAFKA_FAILED;
    }
    AtomicLong selected = new AtomicLong();
    try (Progress progress = Progress.start("postroom redrive",
        request.dryRun() ? "letters selected" : "letters selected to re-drive", 0, selected::get)) {
      RedriveReport report = new DeadLetterRedrive(kafka).redrive(request, letter -> {
        selected.incrementAndGet();
        if (request.dryRun()) {
          out.println(dryRunLine(letter));
        }
      });
      progress.close();
      report.lines().forEach(out::println);
      return DONE;
    } catch (RedriveException e) {
      e.acknowledged().lines().forEach(out::println);
      err.println("postroom redrive: Kafka failed: " + e.getMessage());
      return KAFKA_FAILED;
    }
  }

  static String dryRunLine(DeadLetter letter) {
    String what = letter.hasValue() ? "would re-drive " : "would skip (dead-lettered without its bytes) ";
    return what + letter.coordinates() + ": " + (letter.code() == null ? RedriveReport.NO_CODE : letter.code())
        + (letter.jobId() == null ? "" : ", job " + letter.jobId()) + ", dead-lettered " + letter.timestamp();
  }
}
