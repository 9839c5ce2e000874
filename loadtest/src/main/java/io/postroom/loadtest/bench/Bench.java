package io.postroom.loadtest.bench;

import io.postroom.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/postroom bench}: the end-to-end benchmark. One Kafka broker, one sink (the relay
 * simulator, or Postfix with {@code --postfix}), and in turn: the raw vertx-mail-client (the library
 * ceiling), the dispatcher (Kafka in, status out, offsets committed), Jakarta Mail with pooled
 * transports and with a connection per message; the same messages, the same sink, one run. Prints a
 * table, writes {@code results.json} and {@code chart.png} into the run's folder. {@code --memory} and
 * {@code --scale} are the memory and scale runs.
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

  private void throughputRun(KafkaBroker broker, Sink sink) throws InterruptedException {
    int jobs = plan.jobs();
    if (plan.baselines() || plan.scale()) {
      if (!plan.postfix()) {
        // the sink's JIT gets the same warm-up before every sender, not only before the second
        report.say("warming up the sink with 5,000 messages");
        BaselineRun.run("warm-up", "vertx", 5_000, null, plan, sink, "warmup", plan.out(), "");
      }
      measure(sink, () -> BaselineRun.run("raw vertx-mail-client", "vertx", jobs, null, plan, sink, id("raw"),
          plan.out(), "pool of " + plan.connections() + ", no Kafka: the library's ceiling"), BenchReport.RAW);
    }
    List<Integer> instanceCounts = plan.scale() ? List.of(1, 3) : List.of(plan.instances());
    for (int instances : instanceCounts) {
      String runId = id("d" + instances);
      try (DispatcherRun run = new DispatcherRun(broker, plan, sink, plan.out(), runId)) {
        measure(sink, () -> run.run(instances, jobs), instances == 1 ? BenchReport.DISPATCHER : "dispatcher x" + instances);
      }
    }
    if (plan.baselines() && !plan.postfix() && !plan.scale()) {
      measure(sink, () -> BaselineRun.run("Jakarta Mail, pooled transports", "jakarta", jobs, null, plan, sink,
          id("jakarta"), plan.out(), plan.connections() + " threads, one connected Transport each"), BenchReport.JAKARTA);
      measure(sink, () -> BaselineRun.run("Jakarta Mail, connection per message", "jakarta-per-message", jobs,
          plan.perMessageSeconds(), plan, sink, id("jakarta1"), plan.out(),
          plan.connections() + " threads; time-boxed to " + plan.perMessageSeconds() + " s"), BenchReport.PER_MESSAGE);
    }
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

  @FunctionalInterface
  private interface Measured {
    SenderResult run() throws InterruptedException;
  }

  /** Runs one sender against a freshly zeroed sink and checks what the sink took against what it says it sent. */
  private void measure(Sink sink, Measured sender, String role) throws InterruptedException {
    sink.reset();
    double sinkCpuBefore = sink.count().cpuSeconds();
    SenderResult result = sender.run();
    Sink.Count count = sink.count();
    report.sender(role, result, count, count.cpuSeconds() - sinkCpuBefore);
  }

  private String id(String label) {
    return label + Long.toString(System.currentTimeMillis(), 36);
  }
}
