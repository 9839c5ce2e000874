package io.postroom.loadtest.bench;

import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/postroom bench}: the end-to-end benchmark. One Kafka broker, one sink (the relay
 * simulator, or Postfix with {@code --postfix}), both warmed up, and in each of {@code --reps}
 * repetitions: the dispatcher cold and warm (Kafka in, status out, offsets committed), the Kafka
 * ceiling, the raw vertx-mail-client (the library ceiling), Jakarta Mail with pooled transports and
 * with a connection per message; the same messages, the same sink, the same concurrency.
 * docs/benchmark.md says how each figure is measured. {@code --memory} and {@code --scale} are the
 * memory and scale runs.
 */
public final class Bench {
  private final BenchPlan plan;
  private final BenchReport report;

  private Bench(BenchPlan plan) {
    this.plan = plan;
    this.report = new BenchReport(plan);
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(Arrays.asList(args)));
  }

  /** Runs the benchmark the arguments describe: 0 done, 1 a sender lost or doubled mail, 2 bad arguments. */
  public static int run(List<String> args) throws IOException, InterruptedException {
    if (BenchPlan.wantsHelp(args)) {
      System.out.println(BenchPlan.usage());
      return 0;
    }
    BenchPlan plan;
    try {
      plan = BenchPlan.parse(args, Path.of(System.getProperty("postroom.home", ".")));
    } catch (IllegalArgumentException e) {
      System.err.println("postroom bench: " + e.getMessage());
      return 2;
    }
    return new Bench(plan).run();
  }

  private int run() throws IOException, InterruptedException {
    Files.createDirectories(plan.out());
    report.header();
    try (KafkaBroker broker = KafkaBroker.start(plan.out().resolve("kafka"));
         Sink sink = plan.postfix() ? Sink.postfix(plan.out().resolve("postfix")) : Sink.relaySimulator(plan.out().resolve("relay-sim"))) {
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
      senders.add(rep -> dispatcher(broker, sink, rep, 1));
      senders.add(rep -> dispatcher(broker, sink, rep, 3));
    } else {
      senders.add(rep -> dispatcher(broker, sink, rep, plan.instances()));
      if (plan.baselines()) {
        senders.add(rep -> ceiling(broker, sink, rep));
        senders.add(rep -> baseline(sink, rep, BenchReport.RAW, "raw vertx-mail-client", "vertx", null));
        senders.add(rep -> baseline(sink, rep, BenchReport.JAKARTA, "Jakarta Mail, pooled", "jakarta", null));
        senders.add(rep -> baseline(sink, rep, BenchReport.PER_MESSAGE, "Jakarta Mail, per message",
            "jakarta-per-message", plan.perMessageSeconds()));
      }
    }
    for (int rep = 1; rep <= plan.reps(); rep++) {
      report.say("repetition " + rep + " of " + plan.reps());
      for (int k = 0; k < senders.size(); k++) {
        senders.get((k + rep - 1) % senders.size()).run(rep);
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

  private void dispatcher(KafkaBroker broker, Sink sink, int rep, int instances) throws InterruptedException {
    String runId = id("d" + instances);
    String label = instances == 1 ? "dispatcher" : "dispatcher x" + instances;
    double sinkCpu = resetSink(sink);
    DispatcherRun.ColdAndWarm result;
    try (DispatcherRun run = new DispatcherRun(broker, plan, sink, plan.out(), runId)) {
      result = run.coldAndWarm(instances, plan.warmup(), plan.jobs(), label);
    }
    if (instances == 1) {
      report.sender(BenchReport.COLD, rep, result.cold());
      report.sender(BenchReport.WARM, rep, result.warm());
    } else {
      report.sender(BenchReport.WARM_X3, rep, result.warm());
    }
    checkSink(sink, label, rep, result.cold().sent() + result.warm().sent(), sinkCpu);
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
    for (int backlog : List.of(10_000, plan.backlog())) {
      report.say(String.format("memory run: publishing a backlog of %,d jobs, then one dispatcher until %,d are done",
          backlog, plan.warmupJobs()));
      try (DispatcherRun run = new DispatcherRun(broker, plan, sink, plan.out(), id("m" + backlog))) {
        DispatcherRun.MemoryResult result = run.backlog(backlog, plan.warmupJobs());
        report.memory(result);
        results.add(result);
      }
    }
    report.memoryVerdict(results.get(0), results.get(1));
  }

  private String id(String label) {
    return label + Long.toString(System.currentTimeMillis(), 36);
  }
}
