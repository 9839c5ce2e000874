package io.postroom.loadtest.bench;

import io.postroom.loadtest.load.CommandLine;
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
    int warmup,
    int reps,
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

  static final int DEFAULT_JOBS = 20_000;
  static final int DEFAULT_REPS = 5;
  static final Set<String> OPTIONS = Set.of("--jobs", "--warmup", "--reps", "--size", "--connections", "--instances", "--partitions",
      "--tenants", "--backlog", "--warmup-jobs", "--per-message-seconds", "--out");
  static final Set<String> FLAGS = Set.of("--postfix", "--memory", "--scale", "--no-baselines", "--jfr", "--help");

  static BenchPlan parse(List<String> args, Path home) {
    CommandLine line = CommandLine.parse(args, OPTIONS, FLAGS);
    boolean postfix = line.flag("--postfix");
    int jobs = (int) line.number("--jobs", DEFAULT_JOBS, 1, 10_000_000);
    int warmup = (int) line.number("--warmup", jobs, 1, 10_000_000);
    int reps = (int) line.number("--reps", DEFAULT_REPS, 1, 100);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = Path.of(line.text("--out", home.resolve("loadtest/target/bench").resolve(stamp).toString()));
    int warmupJobs = (int) line.number("--warmup-jobs", 8_000, 100, 10_000_000);
    if (warmupJobs > 10_000) {
      throw new IllegalArgumentException("--warmup-jobs: at most 10000, the backlog of the small memory run");
    }
    return new BenchPlan(jobs, warmup, reps,
        size(line.text("--size", "1k")),
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
        (int) line.number("--per-message-seconds", 10, 1, 3600),
        line.flag("--jfr"),
        out);
  }

  /** Bytes of {@code 100k}, {@code 1k}, {@code 2m} (k = 1024) or a plain number of bytes; 1 byte to 30 MB. */
  static int size(String text) {
    String value = text.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    if (value.endsWith("k")) {
      unit = 1024;
    } else if (value.endsWith("m")) {
      unit = 1024 * 1024;
    }
    String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
    long bytes;
    try {
      bytes = Long.parseLong(digits) * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--size: '" + text + "' is not a size such as 1k, 100k or 2048");
    }
    if (bytes < 1 || bytes > 30_000_000) {
      throw new IllegalArgumentException("--size: must be 1 byte to 30 MB, got " + text);
    }
    return (int) bytes;
  }

  /** Whether messages carry an attachment (see BenchMessage): the table then reports MB/s too. */
  boolean large() {
    return size > io.postroom.loadtest.baseline.BenchMessage.TEXT_ONLY_LIMIT;
  }

  static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  static String usage() {
    return """
        usage: bin/postroom bench [options]
        Starts a Kafka broker, the relay simulator (or Postfix) and dispatchers on this machine, sends
        the same messages through each sender, --reps times interleaved, prints a table of medians and
        ranges with the targets, and writes results.json and chart.png. docs/benchmark.md says how
        each figure is measured.

        Senders, in each repetition (order rotated by one each repetition):
          dispatcher cold/warm   a fresh dispatcher started onto a backlog of --warmup jobs (cold: first
                                 to last terminal status), then --jobs more published into it (warm:
                                 first published to last terminal status)
          Kafka ceiling          KafkaConsumer -> vertx MailClient -> KafkaProducer of statuses, offsets
                                 committed every second: the Kafka round trip's own cost
          raw vertx              vertx-mail-client alone, no Kafka: the library's ceiling
          Jakarta pooled / per message   Jakarta Mail, one transport per thread / a connection per
                                 message (time-boxed)
        Every sender: the same --connections SMTP connections and exactly that many sends in flight
        (one per connection); --warmup messages in the same process before its measured window of
        --jobs; CPU per message from /proc/<pid>/stat over the window only, beside the whole
        machine's busy cores (/proc/stat). Time to steady: the first second of the window from
        which every whole second stays within 10 % of the window's median per-second rate.
        Default run: 5 repetitions of 20,000 warm-up + 20,000 measured 1 KB messages per sender,
        about 10 to 15 minutes on 2 cores.

          --jobs N               messages in each measured window (20000)
          --warmup W             warm-up messages before it, and the cold dispatcher's backlog (--jobs)
          --reps N               interleaved repetitions; medians and ranges are reported (5)
          --size S               message size: 1k (default), 100k, or bytes; up to 16k a text of that
                                 size, above a 1 KiB text plus one attachment of the rest (base64 in
                                 the job); the table adds MB/s
          --connections N        SMTP connections and sends in flight of every sender: the
                                 dispatcher's POSTROOM_RELAY_POOL_SIZE, the raw client's and the
                                 ceiling's pool, Jakarta's threads (8)
          --postfix              the real Postfix relay (Debian's package, needs root) instead of the
                                 relay simulator, same connections and in-flight for every sender
          --per-message-seconds S   time box of the connection-per-message Jakarta sender, for its
                                 warm-up and again for its window (10)
          --no-baselines         the dispatcher only
          --instances N          dispatcher processes in one consumer group (1)
          --scale                dispatchers 1 and then 3 in one group (warm figures), and their ratio
          --memory               the memory run: a backlog of --backlog jobs (1000000) and one of 10000
                                 published before the dispatcher starts; heap after --warmup-jobs (8000)
          --jfr                  a Java Flight Recording of each dispatcher, in the run's folder
          --partitions N         partitions of the jobs topics (12)
          --tenants N            tenants the jobs are spread over (3)
          --out DIR              the run's folder (loadtest/target/bench/<time>)""";
  }
}
