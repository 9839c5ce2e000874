package io.postroom.loadtest.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the benchmark as it goes and at the end: the table, the ratios against the targets of the
 * README's Performance section, {@code results.json} and {@code chart.png}.
 */
final class BenchReport {
  static final String RAW = "raw";
  static final String DISPATCHER = "dispatcher";
  static final String JAKARTA = "jakarta";
  static final String PER_MESSAGE = "jakarta-per-message";

  private record Row(String role, SenderResult result, Sink.Count sink, double sinkCpuSeconds) {
  }

  private final BenchPlan plan;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final JsonObject results = new JsonObject();
  private final JsonArray targets = new JsonArray();
  private final long started = System.nanoTime();

  BenchReport(BenchPlan plan) {
    this.plan = plan;
  }

  void header() {
    results.put("startedAt", Instant.now().toString()).put("machine", Machine.describe())
        .put("plan", new JsonObject().put("jobs", plan.jobs()).put("size", plan.size())
            .put("connections", plan.connections()).put("instances", plan.instances())
            .put("partitions", plan.partitions()).put("tenants", plan.tenants()).put("sink", plan.postfix() ? "postfix" : "relay-sim")
            .put("memory", plan.memory()).put("scale", plan.scale()));
    say("postroom bench: " + results.getJsonObject("plan").encode());
    say("machine: " + results.getJsonObject("machine").encode());
    say("run folder: " + plan.out().toAbsolutePath());
  }

  void say(String line) {
    System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
  }

  /** One sender finished: prints its line and checks that the sink took what it says it sent. */
  void sender(String role, SenderResult result, Sink.Count sink, double sinkCpuSeconds) {
    rows.put(role, new Row(role, result, sink, sinkCpuSeconds));
    say(String.format(Locale.ROOT, "%s: %,d sent, %,d failed in %.1f s: %,.0f msg/s, %.0f µs CPU/msg; sink took %,d"
            + " (%,d distinct Message-IDs, %,d duplicates)%s", result.name(), result.sent(), result.failed(),
        result.seconds(), result.messagesPerSecond(), result.cpuMicrosPerMessage(), sink.accepted(), sink.distinct(),
        sink.duplicates(), result.note().isEmpty() ? "" : "; " + result.note()));
    if (result.failed() > 0 || result.note().contains("TIMED OUT") || result.note().contains("SECOND TERMINAL")) {
      problems.add(result.name() + ": " + result.failed() + " failed; " + result.note());
    }
    if (sink.duplicates() > 0) {
      problems.add(result.name() + ": the sink saw " + sink.duplicates() + " duplicate Message-IDs");
    }
  }

  void memory(DispatcherRun.MemoryResult result) {
    say(String.format(Locale.ROOT, "backlog %,d (published in %.1f s): %,d jobs done in %.1f s; heap peak %s,"
            + " live heap after full GC %s, RSS peak %s", result.backlog(), result.publishSeconds(), result.jobsDone(),
        result.seconds(), mb(result.peakHeapBytes()), mb(result.liveHeapBytes()), mb(result.peakRssBytes())));
    results.put("memory-" + result.backlog(), new JsonObject().put("backlog", result.backlog())
        .put("publishSeconds", SenderResult.round(result.publishSeconds())).put("jobsDone", result.jobsDone())
        .put("seconds", SenderResult.round(result.seconds())).put("peakHeapBytes", result.peakHeapBytes())
        .put("liveHeapBytes", result.liveHeapBytes()).put("peakRssBytes", result.peakRssBytes()));
    if (result.doubleTerminal() > 0) {
      problems.add("backlog " + result.backlog() + ": " + result.doubleTerminal() + " second terminal events");
    }
  }

  void memoryVerdict(DispatcherRun.MemoryResult small, DispatcherRun.MemoryResult large) {
    target("heap after warm-up, 1,000,000 vs 10,000 backlog (live set after full GC)",
        (double) large.liveHeapBytes() / small.liveHeapBytes(), "within ±10 %",
        Math.abs((double) large.liveHeapBytes() / small.liveHeapBytes() - 1) <= 0.10);
    target("peak heap, 1,000,000 vs 10,000 backlog", (double) large.peakHeapBytes() / small.peakHeapBytes(),
        "(reported)", true);
  }

  /** Prints the table and the targets, writes results.json and chart.png; 0 unless a sender lost or doubled mail. */
  int finish() {
    if (!rows.isEmpty()) {
      table();
      ratios();
    }
    results.put("targets", targets).put("problems", new JsonArray(problems));
    JsonObject senders = new JsonObject();
    rows.forEach((role, row) -> senders.put(role, row.result().toJson()
        .put("sinkAccepted", row.sink().accepted()).put("sinkDistinct", row.sink().distinct())
        .put("sinkDuplicates", row.sink().duplicates())
        .put("sinkCpuMicrosPerMessage", SenderResult.round(row.sinkCpuSeconds() * 1e6 / Math.max(1, row.sink().accepted())))));
    results.put("senders", senders);
    try {
      Path json = Files.writeString(plan.out().resolve("results.json"), results.encodePrettily());
      say("wrote " + json.toAbsolutePath());
      if (!rows.isEmpty()) {
        Path chart = BenchChart.write(rows.values().stream().map(Row::result).toList(), plan.out().resolve("chart.png"));
        say("wrote " + chart.toAbsolutePath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    problems.forEach(problem -> System.out.println("PROBLEM: " + problem));
    return problems.isEmpty() ? 0 : 1;
  }

  private void table() {
    Row raw = rows.get(RAW);
    System.out.println();
    System.out.printf("%-40s %9s %9s %7s %9s %7s %9s %8s %8s %8s %9s %9s %9s%n", "sender (" + plan.connections()
        + " connections, " + plan.size() + " B)", "sent", "msg/s", "vs raw", "steady/s", "vs raw", "CPU µs/msg",
        "p50 ms", "p95 ms", "p99 ms", "heap MB", "RSS MB", "sink µs/msg");
    for (Row row : rows.values()) {
      SenderResult r = row.result();
      double[] latency = r.latencyMillis();
      System.out.printf(Locale.ROOT, "%-40s %,9d %,9.0f %7s %,9.0f %7s %9.0f %8.0f %8.0f %8.0f %9s %9s %9s%n", r.name(),
          r.sent(), r.messagesPerSecond(),
          raw == null ? "-" : percent(r.messagesPerSecond() / raw.result().messagesPerSecond()),
          r.steadyMessagesPerSecond(),
          raw == null ? "-" : percent(r.steadyMessagesPerSecond() / raw.result().steadyMessagesPerSecond()),
          r.cpuMicrosPerMessage(), latency[0], latency[1], latency[2], r.peakHeapBytes() == 0 ? "-" : mb(r.peakHeapBytes()),
          r.peakRssBytes() == 0 ? "-" : mb(r.peakRssBytes()),
          Double.isNaN(row.sinkCpuSeconds()) ? "-" : String.format(Locale.ROOT, "%.0f", row.sinkCpuSeconds() * 1e6 / Math.max(1, row.sink().accepted())));
    }
    System.out.println("msg/s: the whole run, JIT warm-up included; steady/s: the mean of its second half."
        + " Latency: dispatcher from publishing the job to its SENT status, time in the backlog included;"
        + " baselines from handing the message to the client to its 250.");
    System.out.println();
  }

  private void ratios() {
    SenderResult raw = result(RAW);
    SenderResult dispatcher = result(DISPATCHER);
    SenderResult jakarta = result(JAKARTA);
    SenderResult perMessage = result(PER_MESSAGE);
    if (raw != null && dispatcher != null) {
      double ratio = dispatcher.messagesPerSecond() / raw.messagesPerSecond();
      double steady = dispatcher.steadyMessagesPerSecond() / raw.steadyMessagesPerSecond();
      if (plan.postfix()) {
        target("dispatcher vs raw client, both into Postfix", ratio, "≥ 95 %", ratio >= 0.95);
        target("  the same, steady (second half of each run)", steady, "≥ 95 %", steady >= 0.95);
      } else {
        target("dispatcher end to end vs raw vertx-mail-client", ratio, "≥ 80 %", ratio >= 0.80);
        target("  the same, steady (second half of each run)", steady, "≥ 80 %", steady >= 0.80);
      }
      double cpu = dispatcher.cpuMicrosPerMessage() / raw.cpuMicrosPerMessage();
      target("dispatcher CPU per message vs raw client's", cpu, "≤ 1.2×", cpu <= 1.2);
    }
    if (dispatcher != null && perMessage != null) {
      double ratio = dispatcher.messagesPerSecond() / perMessage.messagesPerSecond();
      target("dispatcher vs Jakarta, connection per message", ratio, "≥ 10×", ratio >= 10);
    }
    if (dispatcher != null && jakarta != null) {
      double ratio = dispatcher.messagesPerSecond() / jakarta.messagesPerSecond();
      target("dispatcher vs Jakarta, pooled transports", ratio, "≥ 1.1×", ratio >= 1.1);
    }
    SenderResult three = result("dispatcher x3");
    if (dispatcher != null && three != null) {
      target("3 dispatchers vs 1 (same 2 cores)", three.messagesPerSecond() / dispatcher.messagesPerSecond(),
          "(reported)", true);
    }
  }

  private void target(String what, double ratio, String goal, boolean met) {
    targets.add(new JsonObject().put("target", what).put("ratio", Math.round(ratio * 1000) / 1000.0)
        .put("goal", goal).put("met", met));
    System.out.printf(Locale.ROOT, "%-62s %7.2f  goal %-11s %s%n", what, ratio, goal,
        goal.startsWith("(") ? "" : met ? "met" : "MISSED");
  }

  private SenderResult result(String role) {
    Row row = rows.get(role);
    return row == null ? null : row.result();
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }
}
