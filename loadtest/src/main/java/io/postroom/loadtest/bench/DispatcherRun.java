package io.postroom.loadtest.bench;

import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.DispatcherSettings;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import io.postroom.loadtest.load.LoadCommand;
import io.postroom.loadtest.load.LoadPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dispatcher measured end to end. {@link #coldAndWarm}: a backlog of jobs published to a fresh
 * jobs topic, then {@code instances} fresh dispatcher processes in one consumer group started onto it
 * (what a new pod sees: the cold window), then a second batch published into the same processes (the
 * warm window), each until every job has its terminal status on the status topic. Nothing asks the
 * dispatchers anything during a window: CPU comes from {@code /proc} ({@link CpuSampler}), heap from
 * their GC logs, and {@code /metrics} is read once, after the warm window.
 */
final class DispatcherRun implements AutoCloseable {
  private final KafkaBroker broker;
  private final BenchPlan plan;
  private final Sink sink;
  private final Path dir;
  private final String runId;
  private final Topics topics;
  private final List<DispatcherProcess> dispatchers = new ArrayList<>();
  private final List<ProcessProbe> probes = new ArrayList<>();
  private final List<Path> gcLogs = new ArrayList<>();
  private final Path dkimKeys;

  DispatcherRun(KafkaBroker broker, BenchPlan plan, Sink sink, Path dir, String runId) {
    this(broker, plan, sink, dir, runId, null);
  }

  /** @param dkimKeys every tenant's DKIM key directory ({@code --dkim}), or null: unsigned */
  DispatcherRun(KafkaBroker broker, BenchPlan plan, Sink sink, Path dir, String runId, Path dkimKeys) {
    this.dkimKeys = dkimKeys;
    this.broker = broker;
    this.plan = plan;
    this.sink = sink;
    this.dir = dir;
    this.runId = runId;
    this.topics = Topics.unique("bench-" + runId).create(broker, plan.partitions());
  }

  /** The cold and the warm window of one set of dispatcher processes. */
  record ColdAndWarm(SenderResult cold, SenderResult warm) {
  }

  /**
   * Publishes {@code coldJobs} before the dispatcher starts, starts it and measures the cold
   * window from the first terminal status to the last (the start-up, fork to first status, is
   * reported beside it); then publishes {@code warmJobs} more and measures the warm window from the
   * first of them published to the last terminal status. With several instances the group is
   * formed before the first batch is published (the scale run reports warm figures only).
   */
  ColdAndWarm coldAndWarm(int instances, int coldJobs, int warmJobs, String label) throws InterruptedException {
    return coldAndWarm(instances, coldJobs, warmJobs, label, false);
  }

  /**
   * {@link #coldAndWarm(int, int, int, String)}, with {@code bulk} the same messages as bulk sends
   * ({@link BenchBulk}): both batches published as bulk records of {@value BenchBulk#CHUNK} recipients,
   * each batch counted in recipients, its window from the same events (the recipients' statuses).
   */
  ColdAndWarm coldAndWarm(int instances, int coldJobs, int warmJobs, String label, boolean bulk)
      throws InterruptedException {
    int total = coldJobs + warmJobs;
    try (StatusTally tally = new StatusTally(broker.bootstrapServers(), topics.status(), runId, total);
         JobPublisher publisher = new JobPublisher(broker.bootstrapServers(), topics.jobs(), plan.size(), plan.tenants())) {
      Batches batches = (from, to) -> {
        if (bulk) {
          publisher.publishBulk(runId, from, to, tally::published);
        } else {
          publisher.publish(runId, from, to, tally::published);
        }
      };
      long forked;
      if (instances == 1) {
        batches.publish(0, coldJobs);
        forked = System.currentTimeMillis();
        startDispatchers(instances);
      } else {
        // several processes started one by one onto a backlog rebalance while they send, and a
        // rebalance can send a job twice (docs/delivery-guarantees.md): the group forms first, then the batch comes
        forked = System.currentTimeMillis();
        startDispatchers(instances);
        batches.publish(0, coldJobs);
      }
      try (CpuSampler cpu = new CpuSampler(dispatchers.stream().map(DispatcherProcess::pid).toList())) {
        boolean coldFinished = tally.awaitFinished(coldJobs, timeout(coldJobs));
        StatusTally.Batch coldBatch = tally.batch(0, coldJobs, Long.MAX_VALUE);
        long coldStart = coldBatch.firstTerminalMillis();
        coldBatch = tally.batch(0, coldJobs, coldStart);
        SenderResult cold = result(label + " cold", coldBatch, coldStart, cpu, (coldStart - forked) / 1000.0,
            coldFinished ? "" : "; TIMED OUT with " + (coldJobs - coldBatch.sent() - coldBatch.failed()) + " unfinished",
            Map.of(), tally, false);
        long warmStart = System.currentTimeMillis();
        batches.publish(coldJobs, total);
        boolean warmFinished = tally.awaitFinished(total, timeout(warmJobs));
        StatusTally.Batch warmBatch = tally.batch(coldJobs, total, warmStart);
        SenderResult warm = result(label + " warm", warmBatch, warmStart, cpu, Double.NaN,
            warmFinished ? "" : "; TIMED OUT with " + (warmJobs - warmBatch.sent() - warmBatch.failed()) + " unfinished",
            jobsMoved(), tally, true);
        return new ColdAndWarm(cold, warm);
      }
    }
  }

  /** Publishes messages {@code from} to {@code to - 1} of the run, as jobs or as bulk records. */
  @FunctionalInterface
  private interface Batches {
    void publish(int from, int to);
  }

  /**
   * The expansion run: {@code recipients} published as bulk records before the dispatcher starts,
   * then one dispatcher started onto them; measured on the recipients topic, from the first
   * recipient's job written to the last ({@link ExpansionRate}), and while it grew
   * ({@link ExpansionTimeline}). The dispatcher sends what it has
   * expanded at the same time, as it would (its relay path saturated): the rate is expansion beside
   * sending. It is stopped once every recipient's job is written; nobody checks their mails.
   */
  ExpansionResult expansion(int recipients) throws InterruptedException {
    try (JobPublisher publisher = new JobPublisher(broker.bootstrapServers(), topics.jobs(), plan.size(), plan.tenants())) {
      long started = System.nanoTime();
      publisher.publishBulk(runId, 0, recipients, i -> { });
      double publishSeconds = (System.nanoTime() - started) / 1e9;
      startDispatchers(1);
      try (RecipientsTopic topic = new RecipientsTopic(broker.bootstrapServers(), topics.jobs() + ".recipients");
           CpuSampler cpu = new CpuSampler(dispatchers.stream().map(DispatcherProcess::pid).toList())) {
        ExpansionTimeline timeline = new ExpansionTimeline();
        boolean finished = topic.awaitRecords(recipients, timeout(recipients / 10), timeline);
        ExpansionRate rate = ExpansionRate.of(topic.records(), topic.spans());
        CpuSampler.Window window = cpu.window(rate.firstMillis(), rate.lastMillis());
        return new ExpansionResult(recipients, publishSeconds, rate, timeline, window.processSeconds()
            / Math.max(0.001, rate.seconds()), window.busyCores(),
            finished ? "" : "TIMED OUT with " + rate.recipients() + " written");
      }
    }
  }

  /**
   * What an expansion run measured: its rate, the dispatcher's cores over the window (expanding and
   * sending), the machine's busy cores.
   */
  record ExpansionResult(int recipients, double publishSeconds, ExpansionRate rate, ExpansionTimeline timeline,
      double dispatcherCores, double busyCores, String note) {
  }

  private SenderResult result(String name, StatusTally.Batch batch, long windowStart, CpuSampler cpu,
      double startSeconds, String timedOut, Map<String, Long> moved, StatusTally tally, boolean latencyMeaningful) {
    long end = batch.lastTerminalMillis();
    CpuSampler.Window window = cpu.window(windowStart, end);
    String note = "states " + tally.states() + timedOut
        + (tally.doubleTerminal() > 0 ? "; " + tally.doubleTerminal() + " SECOND TERMINAL EVENTS" : "");
    double[] latency = latencyMeaningful ? batch.latencyMillis() : new double[] {Double.NaN, Double.NaN, Double.NaN};
    return new SenderResult(name, batch.sent(), batch.failed(), Math.max(0, end - windowStart) / 1000.0,
        window.processSeconds() * 1e6 / Math.max(1, batch.sent()), latency, batch.perSecond(),
        gcLogs.stream().mapToLong(GcLog::peakHeapBytes).max().orElse(0), peakRss(), window.busyCores(), startSeconds,
        0, moved, note);
  }

  /** {@code postroom_jobs_moved_total} by {@code to}, summed over the dispatchers: read once, after the window. */
  private Map<String, Long> jobsMoved() {
    Map<String, Long> moved = new TreeMap<>(Map.of("lane", 0L, "retry", 0L));
    for (DispatcherProcess dispatcher : dispatchers) {
      moved.forEach((to, count) -> moved.put(to, count + JobsMoved.count(dispatcher.metrics(), to)));
    }
    return moved;
  }

  /**
   * The memory run: publishes {@code backlog} jobs (with {@code bulk}, recipients in bulk records)
   * before any dispatcher starts, then lets one work until {@code warmupJobs} are done and measures
   * its heap: the peak so far and the live set after a full collection.
   */
  MemoryResult backlog(int backlog, int warmupJobs, boolean bulk) throws InterruptedException {
    try (StatusTally tally = new StatusTally(broker.bootstrapServers(), topics.status(), runId, backlog)) {
      long started = System.nanoTime();
      if (bulk) {
        try (JobPublisher publisher = new JobPublisher(broker.bootstrapServers(), topics.jobs(), plan.size(),
            plan.tenants())) {
          publisher.publishBulk(runId, 0, backlog, tally::published);
        }
      } else {
        LoadCommand.Published publishing = LoadCommand.publish(loadPlan(backlog), runId, tally::published);
        if (publishing.failure() != null) {
          throw new IllegalStateException("publishing stopped: " + publishing.failure().getMessage());
        }
      }
      double publishSeconds = (System.nanoTime() - started) / 1e9;
      startDispatchers(1, true);
      long working = System.nanoTime();
      if (!tally.awaitFinished(warmupJobs, timeout(warmupJobs))) {
        throw new IllegalStateException("the dispatcher finished only " + tally.finished() + " of " + warmupJobs + " jobs");
      }
      double seconds = (System.nanoTime() - working) / 1e9;
      ProcessProbe probe = probes.get(0);
      long peak = probe.peakHeapBytes();
      long live = probe.liveHeapBytes();
      return new MemoryResult(backlog, publishSeconds, warmupJobs, seconds, peak, live, probe.peakRssBytes(),
          tally.doubleTerminal());
    }
  }

  /** What a memory run measured. */
  record MemoryResult(int backlog, double publishSeconds, int jobsDone, double seconds, long peakHeapBytes,
      long liveHeapBytes, long peakRssBytes, long doubleTerminal) {
  }

  private void startDispatchers(int instances) {
    startDispatchers(instances, false);
  }

  /** Starts the dispatchers; {@code probeHeap} polls their /metrics for heap (the memory run only). */
  private void startDispatchers(int instances, boolean probeHeap) {
    DispatcherSettings settings = DispatcherSettings.of(broker.bootstrapServers(), topics, "bench-" + runId)
        .relay(sink.host(), sink.port(), Sink.USER, sink.password(), sink.trustPem())
        .env("POSTROOM_RELAY_POOL_SIZE", Integer.toString(plan.connections()))
        // production values, not the quick ones tests use
        .dispatch("commitInterval", "1s");
    if (dkimKeys != null) {
      for (int t = 1; t <= plan.tenants(); t++) {
        // the tenants of BenchMessage.job
        settings.tenant("tenant-" + t, new io.vertx.core.json.JsonObject().put("dkim",
            new io.vertx.core.json.JsonObject().put("keysDir", dkimKeys.toString()).put("whenMissing", "reject")));
      }
    }
    for (int i = 0; i < instances; i++) {
      Path home = dir.resolve("dispatcher-" + runId + "-" + i);
      List<String> jvmOptions = new ArrayList<>();
      Path gcLog = home.resolve("gc.log");
      jvmOptions.add(GcLog.option(gcLog));
      jvmOptions.addAll(ClassDataSharing.jvmOptions());
      if (plan.flightRecording()) {
        jvmOptions.add("-XX:StartFlightRecording=settings=profile,filename=" + home.toAbsolutePath().resolve("dispatcher.jfr"));
      }
      DispatcherProcess dispatcher = DispatcherProcess.start(settings, home, Duration.ofSeconds(90), jvmOptions);
      dispatchers.add(dispatcher);
      gcLogs.add(gcLog);
      probes.add(new ProcessProbe(dispatcher.pid(), probeHeap ? dispatcher.httpPort() : 0));
    }
  }

  private LoadPlan loadPlan(int jobs) {
    return new LoadPlan(jobs, 0, plan.tenants(), plan.size(), broker.bootstrapServers(), topics.jobs());
  }

  private static Duration timeout(int jobs) {
    return Duration.ofSeconds(120 + jobs / 100);
  }

  private long peakRss() {
    return probes.stream().mapToLong(ProcessProbe::peakRssBytes).max().orElse(0);
  }

  @Override
  public void close() {
    probes.forEach(ProcessProbe::close);
    dispatchers.forEach(DispatcherProcess::close);
  }
}
