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
 * Prints the benchmark as it goes and at the end: per sender the median and range of its
 * repetitions, the targets ({@link Verdicts}, judged on medians), the jobs the dispatchers moved,
 * {@code results.json} and {@code chart.png}.
 */
final class BenchReport {
  static final String COLD = "dispatcher-cold";
  static final String WARM = "dispatcher-warm";
  static final String WARM_X3 = "dispatcher-x3-warm";
  static final String DKIM_COLD = "dispatcher-dkim-cold";
  static final String DKIM_WARM = "dispatcher-dkim-warm";
  static final String BULK_COLD = "dispatcher-bulk-cold";
  static final String BULK_WARM = "dispatcher-bulk-warm";
  static final String CEILING = "kafka-ceiling";
  static final String RAW = "raw";
  static final String JAKARTA = "jakarta";
  static final String PER_MESSAGE = "jakarta-per-message";
  /** The table's order. */
  static final List<String> ROLES = List.of(COLD, WARM, DKIM_COLD, DKIM_WARM, BULK_COLD, BULK_WARM, WARM_X3, CEILING, RAW, JAKARTA,
      PER_MESSAGE);

  private record Run(int rep, SenderResult result) {
  }

  private final BenchPlan plan;
  private final Map<String, List<Run>> runs = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final JsonObject results = new JsonObject();
  private final JsonArray sinkChecks = new JsonArray();
  private final JsonArray targets = new JsonArray();
  private final List<DispatcherRun.ExpansionResult> expansions = new ArrayList<>();
  private final JsonArray expansionReps = new JsonArray();
  private final long started = System.nanoTime();

  BenchReport(BenchPlan plan) {
    this.plan = plan;
  }

  void header() {
    results.put("startedAt", Instant.now().toString()).put("machine", Machine.describe())
        .put("plan", new JsonObject().put("jobs", plan.jobs()).put("warmup", plan.warmup()).put("reps", plan.reps())
            .put("size", plan.size()).put("connections", plan.connections()).put("inFlight", plan.connections())
            .put("instances", plan.instances()).put("partitions", plan.partitions()).put("tenants", plan.tenants())
            .put("sink", plan.postfix() ? "postfix" : "relay-sim").put("memory", plan.memory()).put("scale", plan.scale())
            .put("bulk", plan.bulk()).put("dkim", plan.dkim()));
    say("postroom bench: " + results.getJsonObject("plan").encode());
    say("machine: " + results.getJsonObject("machine").encode());
    say("run folder: " + plan.out().toAbsolutePath());
  }

  void say(String line) {
    System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
  }

  /** One measured window of one repetition: prints its line and notes what went wrong. */
  void sender(String role, int rep, SenderResult result) {
    runs.computeIfAbsent(role, r -> new ArrayList<>()).add(new Run(rep, result));
    int steady = result.secondsToSteady();
    say(String.format(Locale.ROOT, "rep %d %s: %,d sent, %,d failed in %.1f s: %,.0f msg/s, %.0f µs CPU/msg,"
            + " machine %.2f cores busy, steady after %s%s%s", rep, result.name(), result.sent(), result.failed(),
        result.seconds(), result.messagesPerSecond(), result.cpuMicrosPerMessage(), result.busyCores(),
        steady < 0 ? "never" : steady + " s", Double.isNaN(result.startSeconds()) ? ""
            : String.format(Locale.ROOT, ", started in %.1f s", result.startSeconds()),
        result.note().isEmpty() ? "" : "; " + result.note()));
    if (result.failed() > 0 || result.note().contains("TIMED OUT") || result.note().contains("SECOND TERMINAL")) {
      problems.add("rep " + rep + " " + result.name() + ": " + result.failed() + " failed; " + result.note());
    }
  }

  /**
   * What the sink took while one sender ran (its warm-up included) against what that sender says it
   * sent: every message there, each Message-ID once.
   */
  void sinkCheck(String what, int rep, long expected, Sink.Count count, double sinkCpuSeconds) {
    say(String.format(Locale.ROOT, "rep %d %s: the sink took %,d (%,d distinct Message-IDs, %,d duplicates),"
        + " expected %,d", rep, what, count.accepted(), count.distinct(), count.duplicates(), expected));
    sinkChecks.add(new JsonObject().put("rep", rep).put("sender", what).put("expected", expected)
        .put("accepted", count.accepted()).put("distinct", count.distinct()).put("duplicates", count.duplicates())
        .put("sinkCpuMicrosPerMessage", Double.isNaN(sinkCpuSeconds) ? null
            : SenderResult.round(sinkCpuSeconds * 1e6 / Math.max(1, count.accepted()))));
    if (count.duplicates() > 0) {
      problems.add("rep " + rep + " " + what + ": the sink saw " + count.duplicates() + " duplicate Message-IDs");
    }
    if (count.distinct() != expected) {
      problems.add("rep " + rep + " " + what + ": the sink holds " + count.distinct() + " distinct messages, the sender"
          + " reported " + expected + " sent");
    }
  }

  /** One expansion run ({@code --bulk}): its line, and a problem when it timed out. */
  void expansion(int rep, DispatcherRun.ExpansionResult result) {
    ExpansionRate rate = result.rate();
    ExpansionTimeline timeline = result.timeline();
    say(String.format(Locale.ROOT, "rep %d bulk expansion: %,d recipients (%,d records, published in %.1f s) written"
            + " to the recipients topic in %.2f s: %,.0f recipients/s first to last (%.1f µs/recipient); while"
            + " expanding (%.1f s of it) %,.0f recipients/s, peak second %,.0f/s; dispatcher %.2f cores, machine %.2f"
            + " cores busy%s", rep, rate.recipients(), result.recipients() / BenchBulk.CHUNK,
        result.publishSeconds(), rate.seconds(), rate.perSecond(), rate.microsPerRecipient(), timeline.activeSeconds(),
        timeline.activePerSecond(), timeline.peakPerSecond(), result.dispatcherCores(), result.busyCores(),
        result.note().isEmpty() ? "" : "; " + result.note()));
    expansions.add(result);
    expansionReps.add(new JsonObject().put("rep", rep).put("recipients", rate.recipients())
        .put("seconds", Math.round(rate.seconds() * 1000) / 1000.0)
        .put("recipientsPerSecond", finite(rate.perSecond()))
        .put("activeSeconds", finite(timeline.activeSeconds()))
        .put("activeRecipientsPerSecond", finite(timeline.activePerSecond()))
        .put("peakRecipientsPerSecond", finite(timeline.peakPerSecond()))
        .put("recipientsOverTime", new JsonArray(timeline.samples().stream()
            .map(sample -> new JsonArray().add(sample.atMillis()).add(sample.records())).toList()))
        .put("dispatcherCores", Math.round(result.dispatcherCores() * 100) / 100.0)
        .put("busyCores", Double.isNaN(result.busyCores()) ? null : Math.round(result.busyCores() * 100) / 100.0)
        .put("note", result.note()));
    if (!result.note().isEmpty()) {
      problems.add("rep " + rep + " bulk expansion: " + result.note());
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
    String of = plan.bulk() ? " recipients" : "";
    target("heap after warm-up, " + String.format(Locale.ROOT, "%,d", large.backlog()) + " vs 10,000" + of
            + " (live set after full GC)",
        (double) large.liveHeapBytes() / small.liveHeapBytes(), "within ±10 %",
        Math.abs((double) large.liveHeapBytes() / small.liveHeapBytes() - 1) <= 0.10);
    target("peak heap, " + String.format(Locale.ROOT, "%,d", large.backlog()) + " vs 10,000" + of, (double) large.peakHeapBytes() / small.peakHeapBytes(),
        "(reported)", true);
  }

  /** Prints the table and the targets, writes results.json and chart.png; 0 unless a sender lost or doubled mail. */
  int finish() {
    if (!runs.isEmpty()) {
      table();
      verdicts();
      moves();
    }
    if (!expansions.isEmpty()) {
      results.put("expansion", new JsonObject().put("recipientsPerSecond", json(expansionRates()))
          .put("activeRecipientsPerSecond", json(activeRates()))
          .put("reps", expansionReps));
    }
    results.put("targets", targets).put("problems", new JsonArray(problems)).put("sinkChecks", sinkChecks);
    JsonObject senders = new JsonObject();
    runs.forEach((role, list) -> senders.put(role, summary(list)));
    results.put("senders", senders);
    try {
      Path json = Files.writeString(plan.out().resolve("results.json"), results.encodePrettily());
      say("wrote " + json.toAbsolutePath());
      if (!runs.isEmpty()) {
        Path chart = BenchChart.write(ordered().stream().map(role -> typical(runs.get(role))).toList(),
            plan.out().resolve("chart.png"));
        say("wrote " + chart.toAbsolutePath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    problems.forEach(problem -> System.out.println("PROBLEM: " + problem));
    return problems.isEmpty() ? 0 : 1;
  }

  private List<String> ordered() {
    return ROLES.stream().filter(runs::containsKey).toList();
  }

  private static Spread spread(List<Run> list, java.util.function.ToDoubleFunction<SenderResult> figure) {
    return Spread.of(list.stream().map(run -> figure.applyAsDouble(run.result())).toList());
  }

  private static double steady(SenderResult result) {
    int seconds = result.secondsToSteady();
    return seconds < 0 ? Double.POSITIVE_INFINITY : seconds;
  }

  private void table() {
    System.out.println();
    System.out.printf("%s messages of %s, %d connections and %d sends in flight per sender, %d repetition(s):"
            + " median (min–max)%n", String.format(Locale.ROOT, "%,d", plan.jobs()), sizeText(), plan.connections(),
        plan.connections(), plan.reps());
    List<List<String>> rows = new ArrayList<>();
    rows.add(new ArrayList<>(List.of("sender", "msg/s")));
    if (plan.large()) {
      rows.get(0).add("MB/s");
    }
    rows.get(0).addAll(List.of("CPU µs/msg", "busy cores", "p50 ms", "p99 ms", "steady s", "start s", "heap MB", "sent"));
    for (String role : ordered()) {
      List<Run> list = runs.get(role);
      Spread steady = spread(list, BenchReport::steady);
      List<String> row = new ArrayList<>(List.of(list.get(0).result().name(),
          spread(list, SenderResult::messagesPerSecond).format("%,.0f")));
      if (plan.large()) {
        row.add(spread(list, r -> r.messagesPerSecond() * plan.size() / 1e6).format("%.1f"));
      }
      row.addAll(List.of(spread(list, SenderResult::cpuMicrosPerMessage).format("%.0f"),
          spread(list, SenderResult::busyCores).format("%.2f"), spread(list, r -> r.latencyMillis()[0]).format("%.0f"),
          spread(list, r -> r.latencyMillis()[2]).format("%.0f"), steady.format("%.0f").replace("Infinity", "never"),
          spread(list, SenderResult::startSeconds).format("%.1f"),
          spread(list, r -> r.peakHeapBytes() == 0 ? Double.NaN : r.peakHeapBytes() / 1048576.0).format("%.0f"),
          String.format(Locale.ROOT, "%,d", list.stream().mapToLong(run -> run.result().sent()).sum())));
      rows.add(row);
    }
    int[] widths = new int[rows.get(0).size()];
    rows.forEach(row -> {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    });
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
      }
      System.out.println(line.toString().stripTrailing());
    }
    dkimCost();
    System.out.println("""
        Notes: every sender has the same SMTP connections and exactly that many sends in flight, one per
        connection (the dispatcher: POSTROOM_RELAY_POOL_SIZE per process, never more outstanding than its pool).
        Windows: cold dispatcher from its first terminal status to its last (start = fork to first status);
        warm dispatcher and Kafka ceiling from the first job of the batch published to the last status;
        raw vertx and Jakarta from the first message handed over to the last 250, after the same warm-up in
        the same JVM. CPU: that process's, /proc/<pid>/stat, over the window only; busy cores: the whole
        machine's over the window (/proc/stat), broker, sink and publisher included. Latency: dispatcher
        and ceiling from publishing the job to its SENT status (backlog included; none for cold),
        baselines from hand-over to 250. steady s: see bench --help. Jakarta per message is time-boxed.""");
  }

  /** {@code --dkim}: the warm dispatcher signed against unsigned, medians side by side. */
  private void dkimCost() {
    if (!runs.containsKey(DKIM_WARM) || !runs.containsKey(WARM)) {
      return;
    }
    double rate = spread(runs.get(WARM), SenderResult::messagesPerSecond).median();
    double signedRate = spread(runs.get(DKIM_WARM), SenderResult::messagesPerSecond).median();
    double cpu = spread(runs.get(WARM), SenderResult::cpuMicrosPerMessage).median();
    double signedCpu = spread(runs.get(DKIM_WARM), SenderResult::cpuMicrosPerMessage).median();
    System.out.printf(Locale.ROOT, "DKIM (warm, medians): unsigned %,.0f msg/s and %.0f µs CPU/msg; signed %,.0f msg/s"
        + " (%+.0f %%) and %.0f µs CPU/msg (%+.0f µs per signature)%n", rate, cpu, signedRate,
        (signedRate / rate - 1) * 100, signedCpu, signedCpu - cpu);
    results.put("dkim", new JsonObject().put("unsignedMessagesPerSecond", finite(rate))
        .put("signedMessagesPerSecond", finite(signedRate)).put("unsignedCpuMicrosPerMessage", finite(cpu))
        .put("signedCpuMicrosPerMessage", finite(signedCpu)));
  }

  private String sizeText() {
    return plan.large() ? String.format(Locale.ROOT, "%,d B (1 KiB text + attachment)", plan.size())
        : String.format(Locale.ROOT, "%,d B", plan.size());
  }

  private void verdicts() {
    Map<String, Verdicts.Medians> medians = new LinkedHashMap<>();
    runs.forEach((role, list) -> {
      double steady = spread(list, BenchReport::steady).median();
      medians.put(role, new Verdicts.Medians(spread(list, SenderResult::messagesPerSecond).median(),
          spread(list, SenderResult::cpuMicrosPerMessage).median(),
          Double.isInfinite(steady) ? -1 : steady));
    });
    System.out.println();
    System.out.println("targets (on medians):");
    for (Verdicts.Target target : Verdicts.of(medians, plan.postfix(), plan.large(), movedTo("lane"))) {
      System.out.println(target.line());
      targets.add(targetJson(target));
    }
    if (!expansions.isEmpty()) {
      for (Verdicts.Target target : Verdicts.expansion(activeRates().median(), expansionRates().median())) {
        System.out.println(target.line());
        targets.add(targetJson(target));
      }
    }
  }

  /** First to last recipient's job. */
  private Spread expansionRates() {
    return Spread.of(expansions.stream().map(e -> e.rate().perSecond()).toList());
  }

  /** While the recipients topic grew. */
  private Spread activeRates() {
    return Spread.of(expansions.stream().map(e -> e.timeline().activePerSecond()).toList());
  }

  private static JsonObject targetJson(Verdicts.Target target) {
    return new JsonObject().put("target", target.what()).put("measured", target.measured())
        .put("value", Double.isFinite(target.value()) ? Math.round(target.value() * 1000) / 1000.0 : null)
        .put("goal", target.goal()).put("met", target.met()).put("reported", target.reported());
  }

  private long movedTo(String to) {
    return runs.entrySet().stream().filter(entry -> entry.getKey().startsWith("dispatcher"))
        .flatMap(entry -> entry.getValue().stream())
        .mapToLong(run -> run.result().moved().getOrDefault(to, 0L)).sum();
  }

  private void moves() {
    System.out.println();
    System.out.println("postroom_jobs_moved_total of each dispatcher run (read from /metrics after its warm window;"
        + " each moved job is one more Kafka round trip):");
    runs.forEach((role, list) -> list.stream().filter(run -> !run.result().moved().isEmpty()).forEach(run ->
        System.out.printf(Locale.ROOT, "  rep %d %-24s to=\"lane\" %,d   to=\"retry\" %,d%n", run.rep(),
            run.result().name(), run.result().moved().getOrDefault("lane", 0L),
            run.result().moved().getOrDefault("retry", 0L))));
    System.out.println();
  }

  /** A sender's repetitions in results.json: each one, and the medians and ranges. */
  private JsonObject summary(List<Run> list) {
    JsonArray reps = new JsonArray();
    list.forEach(run -> reps.add(run.result().toJson().put("rep", run.rep())));
    return new JsonObject().put("name", list.get(0).result().name())
        .put("messagesPerSecond", json(spread(list, SenderResult::messagesPerSecond)))
        .put("megabytesPerSecond", json(spread(list, r -> r.messagesPerSecond() * plan.size() / 1e6)))
        .put("cpuMicrosPerMessage", json(spread(list, SenderResult::cpuMicrosPerMessage)))
        .put("busyCores", json(spread(list, SenderResult::busyCores)))
        .put("secondsToSteady", json(spread(list, r -> r.secondsToSteady() < 0 ? Double.NaN : r.secondsToSteady())))
        .put("p50Millis", json(spread(list, r -> r.latencyMillis()[0])))
        .put("p99Millis", json(spread(list, r -> r.latencyMillis()[2])))
        .put("sent", list.stream().mapToLong(run -> run.result().sent()).sum())
        .put("reps", reps);
  }

  private static JsonObject json(Spread spread) {
    return new JsonObject().put("median", finite(spread.median())).put("min", finite(spread.min()))
        .put("max", finite(spread.max()));
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? Math.round(value * 10) / 10.0 : null;
  }

  /** The repetition whose rate is closest to the median: the one the chart draws. */
  private static SenderResult typical(List<Run> list) {
    double median = spread(list, SenderResult::messagesPerSecond).median();
    return list.stream().map(Run::result)
        .min(java.util.Comparator.comparingDouble(r -> Math.abs(r.messagesPerSecond() - median))).orElseThrow();
  }

  /** A target of the memory run. */
  private void target(String what, double ratio, String goal, boolean met) {
    targets.add(new JsonObject().put("target", what).put("ratio", Math.round(ratio * 1000) / 1000.0)
        .put("goal", goal).put("met", met));
    System.out.printf(Locale.ROOT, "%-62s %7.2f  goal %-11s %s%n", what, ratio, goal,
        goal.startsWith("(") ? "" : met ? "met" : "MISSED");
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }
}
