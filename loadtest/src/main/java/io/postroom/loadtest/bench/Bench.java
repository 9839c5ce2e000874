package io.postroom.loadtest.bench;

import io.postroom.contract.cli.Cli;
import io.postroom.contract.cli.OptionValues;
import io.postroom.contract.cli.Progress;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/postroom bench}: the end-to-end benchmark. One Kafka broker, one sink (the relay
 * simulator, or Postfix with {@code --postfix}), both warmed up, and in each of {@code --reps}
 * repetitions: the dispatcher cold and warm (Kafka in, status out, offsets committed), the Kafka
 * ceiling, the raw vertx-mail-client (the library ceiling), Jakarta Mail with pooled transports and
 * with a connection per message; the same messages, the same sink, the same concurrency.
 * docs/benchmark.md says how each figure is measured. {@code --memory} and {@code --scale} are the
 * memory and scale runs.
 */
@Command(name = "bin/postroom bench",
    sortOptions = false,
    description = {
        "Starts a Kafka broker, the relay simulator (or Postfix) and dispatchers on this machine, sends the",
        "same messages through each sender, --reps times interleaved, prints a table of medians and ranges",
        "with the targets, and writes results.json and chart.png. docs/benchmark.md says how each figure is",
        "measured.",
        "",
        "Senders, in each repetition (order rotated by one each repetition):",
        "  dispatcher cold/warm   a fresh dispatcher started onto a backlog of --warmup jobs (cold: first",
        "                         to last terminal status), then --jobs more published into it (warm:",
        "                         first published to last terminal status)",
        "  Kafka ceiling          KafkaConsumer -> vertx MailClient -> KafkaProducer of statuses, offsets",
        "                         committed every second: the Kafka round trip's own cost",
        "  raw vertx              vertx-mail-client alone, no Kafka: the library's ceiling",
        "  Jakarta pooled / per message   Jakarta Mail, one transport per thread / a connection per",
        "                         message (time-boxed)",
        "Every sender: the same --connections SMTP connections and exactly that many sends in flight",
        "(one per connection); --warmup messages in the same process before its measured window of",
        "--jobs; CPU per message from /proc/<pid>/stat over the window only, beside the whole",
        "machine's busy cores (/proc/stat). Time to steady: the first second of the window from",
        "which every whole second stays within 10 %% of the window's median per-second rate.",
        "Default run: 5 repetitions of 20,000 warm-up + 20,000 measured 1 KB messages per sender,",
        "about 10 to 15 minutes on 2 cores.",
        ""},
    footer = {"", "Exit codes: 0 done; 1 a sender lost or doubled mail (the run says which); 2 a bad option."})
public final class Bench implements Callable<Integer> {
  static final int DEFAULT_JOBS = 20_000;
  static final int DEFAULT_REPS = 5;
  /** The expansion run's backlog, in recipients: 200 bulk records of 1,000. */
  static final int EXPANSION_RECIPIENTS = 200_000;

  @Spec
  private CommandSpec spec;

  @Option(names = "--jobs", paramLabel = "N", description = "messages in each measured window (${DEFAULT-VALUE})")
  private long jobs = DEFAULT_JOBS;

  @Option(names = "--warmup", paramLabel = "W", description = "warm-up messages before it, and the cold dispatcher's"
      + " backlog (--jobs)")
  private Long warmup;

  @Option(names = "--reps", paramLabel = "N", description = "interleaved repetitions; medians and ranges are"
      + " reported (${DEFAULT-VALUE})")
  private long reps = DEFAULT_REPS;

  @Option(names = "--size", paramLabel = "S", description = "message size: 1k (default), 100k, or bytes; up to 16k a"
      + " text of that size, above a 1 KiB text plus one attachment of the rest (base64 in the job); the table adds"
      + " MB/s")
  private String size = "1k";

  @Option(names = "--connections", paramLabel = "N", description = "SMTP connections and sends in flight of every"
      + " sender: the dispatcher's POSTROOM_RELAY_POOL_SIZE, the raw client's and the ceiling's pool, Jakarta's"
      + " threads (${DEFAULT-VALUE})")
  private long connections = 8;

  @Option(names = "--postfix", description = "the real Postfix relay (Debian's package, needs root) instead of the"
      + " relay simulator, same connections and in-flight for every sender")
  private boolean postfix;

  @Option(names = "--per-message-seconds", paramLabel = "S", description = "time box of the connection-per-message"
      + " Jakarta sender, for its warm-up and again for its window (${DEFAULT-VALUE})")
  private long perMessageSeconds = 10;

  @Option(names = "--no-baselines", description = "the dispatcher only")
  private boolean noBaselines;

  @Option(names = "--instances", paramLabel = "N", description = "dispatcher processes in one consumer group"
      + " (${DEFAULT-VALUE})")
  private long instances = 1;

  @Option(names = "--scale", description = "dispatchers 1 and then 3 in one group (warm figures), and their ratio")
  private boolean scale;

  @Option(names = "--bulk", description = "the same messages also as bulk sends (records of 1000 recipients): bulk"
      + " dispatcher cold/warm beside the single jobs', and the expansion rate; with --memory, backlogs of recipients")
  private boolean bulk;

  @Option(names = "--memory", description = "the memory run: a backlog of --backlog jobs and one of 10000 published"
      + " before the dispatcher starts; heap after --warmup-jobs")
  private boolean memory;

  @Option(names = "--backlog", paramLabel = "N", description = "the memory run's large backlog (${DEFAULT-VALUE})")
  private long backlog = 1_000_000;

  @Option(names = "--warmup-jobs", paramLabel = "N", description = "the memory run's jobs done before the heap is"
      + " measured, at most 10000 (${DEFAULT-VALUE})")
  private long warmupJobs = 8_000;

  @Option(names = "--jfr", description = "a Java Flight Recording of each dispatcher, in the run's folder")
  private boolean jfr;

  @Option(names = "--partitions", paramLabel = "N", description = "partitions of the jobs topics (${DEFAULT-VALUE})")
  private long partitions = 12;

  @Option(names = "--tenants", paramLabel = "N", description = "tenants the jobs are spread over (${DEFAULT-VALUE})")
  private long tenants = 3;

  @Option(names = "--suppressions", paramLabel = "N", description = "instead of the dispatcher runs: the cost of"
      + " checking a job against a suppression list of N addresses (e.g. 10000000), as a dispatcher checks each job")
  private Integer suppressions;

  @Option(names = "--out", paramLabel = "DIR", description = "the run's folder (loadtest/target/bench/<time>)")
  private Path out;

  private final Path home;
  private BenchPlan plan;
  private BenchReport report;
  private Progress progress;
  /** The runs done (a sender's repetition, a memory run), of those planned: the progress bar's count. */
  private final AtomicLong runsDone = new AtomicLong();

  public Bench(Path home) {
    this.home = home;
  }

  public static void main(String[] args) {
    Cli.exit(new Bench(Path.of(System.getProperty("postroom.home", "."))), args);
  }

  /** What the options ask for; a value out of its range is refused, naming the option. */
  BenchPlan plan() {
    int measured = (int) OptionValues.range(spec, "--jobs", jobs, 1, 10_000_000);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return new BenchPlan(measured,
        (int) OptionValues.range(spec, "--warmup", warmup == null ? measured : warmup, 1, 10_000_000),
        (int) OptionValues.range(spec, "--reps", reps, 1, 100),
        bytes(size),
        (int) OptionValues.range(spec, "--connections", connections, 1, 256),
        (int) OptionValues.range(spec, "--instances", instances, 1, 16),
        (int) OptionValues.range(spec, "--partitions", partitions, 1, 1000),
        (int) OptionValues.range(spec, "--tenants", tenants, 1, 10_000),
        postfix,
        memory,
        (int) OptionValues.range(spec, "--backlog", backlog, 10_001, 10_000_000),
        // at most the backlog of the small memory run
        (int) OptionValues.range(spec, "--warmup-jobs", warmupJobs, 100, 10_000),
        scale,
        bulk(),
        !noBaselines,
        (int) OptionValues.range(spec, "--per-message-seconds", perMessageSeconds, 1, 3600),
        jfr,
        out != null ? out : home.resolve("loadtest/target/bench").resolve(stamp));
  }

  /** {@code --bulk}, refused where it cannot be: a bulk job has no attachments, and --scale is a run of its own. */
  private boolean bulk() {
    if (bulk && bytes(size) > io.postroom.loadtest.baseline.BenchMessage.TEXT_ONLY_LIMIT) {
      throw Cli.invalid(spec, "--bulk", "a bulk send's template has no attachment: use a --size of at most 16k");
    }
    if (bulk && scale) {
      throw Cli.invalid(spec, "--bulk", "not with --scale: run them one after the other");
    }
    return bulk;
  }

  /** Bytes of {@code 100k}, {@code 1k}, {@code 2m} (k = 1024) or a plain number of bytes; 1 byte to 30 MB. */
  private int bytes(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    long unit = value.endsWith("k") ? 1024 : value.endsWith("m") ? 1024 * 1024 : 1;
    String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
    long bytes;
    try {
      bytes = Long.parseLong(digits) * unit;
    } catch (NumberFormatException e) {
      throw Cli.invalid(spec, "--size", "'" + text + "' is not a size such as 1k, 100k or 2048");
    }
    if (bytes < 1 || bytes > 30_000_000) {
      throw Cli.invalid(spec, "--size", "must be 1 byte to 30 MB, got " + text);
    }
    return (int) bytes;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (suppressions != null) {
      int count = (int) OptionValues.range(spec, "--suppressions", suppressions, 1, 100_000_000);
      Path dir = out != null ? out : home.resolve("loadtest/target/bench/suppressions");
      SuppressionLookups.run(count, dir, System.out);
      return 0;
    }
    plan = plan();
    report = new BenchReport(plan);
    return run();
  }

  private int run() throws IOException, InterruptedException {
    Files.createDirectories(plan.out());
    report.header();
    try (Progress shown = Progress.start("postroom bench", "runs", 0, runsDone::get);
         KafkaBroker broker = KafkaBroker.start(plan.out().resolve("kafka"));
         Sink sink = plan.postfix() ? Sink.postfix(plan.out().resolve("postfix")) : Sink.relaySimulator(plan.out().resolve("relay-sim"))) {
      progress = shown;
      report.say("broker " + broker.bootstrapServers() + ", sink " + sink.name() + " on " + sink.host() + ":" + sink.port());
      if (plan.memory()) {
        memoryRun(broker, sink);
      } else {
        throughputRun(broker, sink);
      }
    }
    return report.finish();
  }

  /** One sender of a repetition. */
  @FunctionalInterface
  private interface Sender {
    void run(int rep) throws InterruptedException;
  }

  /**
   * Warms the broker and the sink up, then runs every sender once per repetition, the order rotated
   * by one each repetition so that no sender always follows the same one.
   */
  private void throughputRun(KafkaBroker broker, Sink sink) throws InterruptedException {
    warmBroker(broker);
    if (!plan.postfix() && (plan.baselines() || plan.scale())) {
      // the sink's JIT is warm before the first measured window, not only before the second sender's
      report.say(String.format("warming up the sink with %,d messages", warmupMessages()));
      BaselineRun.run("warm-up", "vertx", 0, warmupMessages(), null, plan, sink, "warmup", plan.out(), "");
    }
    List<Sender> senders = new ArrayList<>();
    if (plan.scale()) {
      senders.add(rep -> dispatcher(broker, sink, rep, 1, false));
      senders.add(rep -> dispatcher(broker, sink, rep, 3, false));
    } else {
      senders.add(rep -> dispatcher(broker, sink, rep, plan.instances(), false));
      if (plan.bulk()) {
        senders.add(rep -> dispatcher(broker, sink, rep, plan.instances(), true));
        senders.add(rep -> expansion(broker, sink, rep));
      }
      if (plan.baselines()) {
        senders.add(rep -> ceiling(broker, sink, rep));
        senders.add(rep -> baseline(sink, rep, BenchReport.RAW, "raw vertx-mail-client", "vertx", null));
        senders.add(rep -> baseline(sink, rep, BenchReport.JAKARTA, "Jakarta Mail, pooled", "jakarta", null));
        senders.add(rep -> baseline(sink, rep, BenchReport.PER_MESSAGE, "Jakarta Mail, per message",
            "jakarta-per-message", plan.perMessageSeconds()));
      }
    }
    progress.total((long) plan.reps() * senders.size());
    for (int rep = 1; rep <= plan.reps(); rep++) {
      report.say("repetition " + rep + " of " + plan.reps());
      progress.note("repetition " + rep + " of " + plan.reps());
      for (int k = 0; k < senders.size(); k++) {
        senders.get((k + rep - 1) % senders.size()).run(rep);
        runsDone.incrementAndGet();
      }
    }
  }

  /**
   * The Kafka path is slow the first time (the broker's JIT, page cache, log segments): a throwaway
   * round of jobs published and read back before anything is measured.
   */
  private void warmBroker(KafkaBroker broker) {
    int jobs = warmupMessages();
    report.say(String.format("warming up the broker: %,d jobs published and read back", jobs));
    Topics topics = Topics.unique("bench-warmup").create(broker, plan.partitions());
    try (JobPublisher publisher = new JobPublisher(broker.bootstrapServers(), topics.jobs(), plan.size(), plan.tenants())) {
      publisher.publish("warmup", 0, jobs, i -> { });
    }
    broker.readAll(topics.jobs(), jobs, java.time.Duration.ofMinutes(2));
  }

  /**
   * 20,000 messages of the plan's size, fewer when they are large: about 64 MB at most, 500 at least.
   * With 5,000 the first sender of the first repetition (always the cold dispatcher) ran at half the
   * rate it had in later repetitions: the sink's and the broker's JITs, on the same cores, were not
   * done.
   */
  private int warmupMessages() {
    return Math.max(500, Math.min(20_000, 64 * 1024 * 1024 / plan.size()));
  }

  private void dispatcher(KafkaBroker broker, Sink sink, int rep, int instances, boolean bulk)
      throws InterruptedException {
    String runId = id((bulk ? "b" : "d") + instances);
    String label = (instances == 1 ? "dispatcher" : "dispatcher x" + instances) + (bulk ? " bulk" : "");
    double sinkCpu = resetSink(sink);
    DispatcherRun.ColdAndWarm result;
    try (DispatcherRun run = new DispatcherRun(broker, plan, sink, plan.out(), runId)) {
      result = run.coldAndWarm(instances, plan.warmup(), plan.jobs(), label, bulk);
    }
    if (bulk) {
      report.sender(BenchReport.BULK_COLD, rep, result.cold());
      report.sender(BenchReport.BULK_WARM, rep, result.warm());
    } else if (instances == 1) {
      report.sender(BenchReport.COLD, rep, result.cold());
      report.sender(BenchReport.WARM, rep, result.warm());
    } else {
      report.sender(BenchReport.WARM_X3, rep, result.warm());
    }
    checkSink(sink, label, rep, result.cold().sent() + result.warm().sent(), sinkCpu);
  }

  /**
   * {@value #EXPANSION_RECIPIENTS} recipients in bulk records, one dispatcher started onto them: the
   * recipients it writes to the recipients topic per second. Its mails are not checked (it is
   * stopped once the last recipient's job is written); the sink is reset before the next sender.
   */
  private void expansion(KafkaBroker broker, Sink sink, int rep) throws InterruptedException {
    try (DispatcherRun run = new DispatcherRun(broker, plan, sink, plan.out(), id("x"))) {
      report.expansion(rep, run.expansion(EXPANSION_RECIPIENTS));
    }
  }

  private void ceiling(KafkaBroker broker, Sink sink, int rep) throws InterruptedException {
    double sinkCpu = resetSink(sink);
    SenderResult result = CeilingRun.run(broker, plan, sink, plan.out(), id("ceiling"), plan.warmup(), plan.jobs());
    report.sender(BenchReport.CEILING, rep, result);
    checkSink(sink, result.name(), rep, result.warmupSent() + result.sent(), sinkCpu);
  }

  private void baseline(Sink sink, int rep, String role, String name, String client, Integer maxSeconds) {
    double sinkCpu = resetSink(sink);
    String note = plan.connections() + (client.startsWith("jakarta") ? " threads" : " pooled connections") + ", "
        + plan.connections() + " in flight" + (maxSeconds == null ? "" : "; time-boxed to " + maxSeconds + " s");
    SenderResult result = BaselineRun.run(name, client, plan.warmup(), plan.jobs(), maxSeconds, plan, sink,
        id(role.replace("-", "")), plan.out(), note);
    report.sender(role, rep, result);
    checkSink(sink, name, rep, result.warmupSent() + result.sent(), sinkCpu);
  }

  /** Zeroes the sink's counts; its CPU so far. */
  private static double resetSink(Sink sink) {
    sink.reset();
    return sink.count().cpuSeconds();
  }

  private void checkSink(Sink sink, String what, int rep, long expected, double sinkCpuBefore) {
    Sink.Count count = sink.count();
    report.sinkCheck(what, rep, expected, count, count.cpuSeconds() - sinkCpuBefore);
  }

  private void memoryRun(KafkaBroker broker, Sink sink) throws InterruptedException {
    List<DispatcherRun.MemoryResult> results = new ArrayList<>();
    progress.total(2);
    for (int backlog : List.of(10_000, plan.backlog())) {
      report.say(String.format("memory run: publishing a backlog of %,d %s, then one dispatcher until %,d are done",
          backlog, plan.bulk() ? "recipients in bulk records of " + BenchBulk.CHUNK : "jobs", plan.warmupJobs()));
      try (DispatcherRun run = new DispatcherRun(broker, plan, sink, plan.out(), id("m" + backlog))) {
        DispatcherRun.MemoryResult result = run.backlog(backlog, plan.warmupJobs(), plan.bulk());
        report.memory(result);
        results.add(result);
        runsDone.incrementAndGet();
      }
    }
    report.memoryVerdict(results.get(0), results.get(1));
  }

  private String id(String label) {
    return label + Long.toString(System.currentTimeMillis(), 36);
  }
}
