package io.postroom.dispatcher.redrive;

import io.postroom.contract.config.ConfigException;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.process.StartFailure;
import io.postroom.dispatcher.config.ConfigLoader;
import io.postroom.contract.config.KafkaSection;
import io.postroom.dispatcher.config.PostroomConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/postroom redrive}: re-drives dead letters into the jobs topic once their cause is
 * fixed. Kafka and topics come from the dispatcher's configuration (POSTROOM_CONFIG and the
 * POSTROOM_* variables).
 *
 * <p>Exit codes: 0 when done, 2 for a bad argument or configuration (the message names it), 1 when
 * Kafka failed (the summary then says what was re-driven before the failure).
 */
public final class RedriveCommand {
  public static final int DONE = 0;
  public static final int KAFKA_FAILED = 1;
  public static final int BAD_ARGUMENTS = 2;

  static final String SYNOPSIS =
      "usage: bin/postroom redrive [--code CODE[,CODE...]] [--since ISO-INSTANT] [--until ISO-INSTANT] [--dry-run]";
  static final String USAGE = SYNOPSIS + """


      Publishes dead letters of mail.jobs.dlq back to mail.jobs (key and bytes as they were, with a
      postroom-redriven-from header). Reads the topic up to where it ended when the command started,
      without a consumer group and without committing anything.

        --code     only letters with one of these postroom-error-code values (default: any)
        --since    only letters dead-lettered at or after this instant, e.g. 2026-11-22T10:00:00Z
        --until    only letters dead-lettered before this instant
        --dry-run  list what would be re-driven; publish nothing
      """;

  private RedriveCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.getenv(), System.out, System.err));
  }

  /** The whole command, without exiting: returns the exit code. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(USAGE);
      return DONE;
    }
    RedriveRequest request;
    PostroomConfig config;
    try {
      request = RedriveArguments.parse(args);
    } catch (ArgumentException e) {
      err.println("postroom redrive: " + e.getMessage());
      err.println(SYNOPSIS);
      return BAD_ARGUMENTS;
    }
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
    try {
      RedriveReport report = new DeadLetterRedrive(kafka).redrive(request, letter -> {
        if (request.dryRun()) {
          out.println(dryRunLine(letter));
        }
      });
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
