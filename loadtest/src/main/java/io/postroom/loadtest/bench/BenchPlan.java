package io.postroom.loadtest.bench;

import io.postroom.testkit.load.CommandLine;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * What {@code bin/postroom bench} measures; {@link #usage()} says what each option means.
 */
record BenchPlan(
    int jobs,
    int size,
    int connections,
    int instances,
    int partitions,
    int tenants,
    boolean postfix,
    boolean memory,
    int backlog,
    int warmupJobs,
    boolean scale,
    boolean baselines,
    int perMessageSeconds,
    boolean flightRecording,
    Path out) {

  static final Set<String> OPTIONS = Set.of("--jobs", "--size", "--connections", "--instances", "--partitions",
      "--tenants", "--backlog", "--warmup-jobs", "--per-message-seconds", "--out");
  static final Set<String> FLAGS = Set.of("--postfix", "--memory", "--scale", "--no-baselines", "--jfr", "--help");

  static BenchPlan parse(List<String> args, Path home) {
    CommandLine line = CommandLine.parse(args, OPTIONS, FLAGS);
    boolean postfix = line.flag("--postfix");
    int jobs = (int) line.number("--jobs", postfix ? 20_000 : 100_000, 1, 10_000_000);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Path.of(line.text("--out", home.resolve("loadtest/target/bench").resolve(stamp).toString()));
    int warmupJobs = (int) line.number("--warmup-jobs", 8_000, 100, 10_000_000);
    if (warmupJobs > 10_000) {
      throw new IllegalArgumentException("--warmup-jobs: at most 10000, the backlog of the small memory run");
    }
    return new BenchPlan(jobs,
        (int) line.number("--size", 1024, 1, 30_000_000),
        (int) line.number("--connections", 8, 1, 256),
        (int) line.number("--instances", 1, 1, 16),
        (int) line.number("--partitions", 12, 1, 1000),
        (int) line.number("--tenants", 3, 1, 10_000),
        postfix,
        line.flag("--memory"),
        (int) line.number("--backlog", 1_000_000, 10_001, 10_000_000),
        warmupJobs,
        line.flag("--scale"),
        !line.flag("--no-baselines"),
        (int) line.number("--per-message-seconds", 20, 1, 3600),
        line.flag("--jfr"),
        out);
  }

  static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  static String usage() {
    return """
        usage: bin/postroom bench [options]
        Starts a Kafka broker, the relay simulator (or Postfix) and dispatchers on this machine, sends
        the same messages through each sender, prints a table and writes results.json and chart.png.

          --jobs N               messages per sender (100000; 20000 with --postfix)
          --size BYTES           text per message (1024; try 102400)
          --connections N        SMTP connections of every sender: the dispatcher's pool, the raw
                                 client's pool, Jakarta's threads (8)
          --instances N          dispatcher processes in one consumer group (1)
          --scale                dispatchers 1 and then 3 in one group, and their ratio
          --postfix              the real Postfix relay (Debian's package, needs root) instead of the
                                 relay simulator; raw client and dispatcher only
          --memory               the memory run: a backlog of --backlog jobs (1000000) and one of 10000
                                 published before the dispatcher starts; heap after --warmup-jobs (8000)
          --no-baselines         the dispatcher only
          --jfr                  a Java Flight Recording of each dispatcher, in the run's folder
          --per-message-seconds S   time box of the connection-per-message Jakarta sender (20)
          --partitions N         partitions of the jobs topic (12)
          --tenants N            tenants the jobs are spread over (3)
          --out DIR              the run's folder (loadtest/target/bench/<time>)""";
  }
}
