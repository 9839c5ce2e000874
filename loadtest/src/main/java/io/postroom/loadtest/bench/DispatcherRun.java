package io.postroom.loadtest.bench;

import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.DispatcherSettings;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import io.postroom.testkit.load.LoadCommand;
import io.postroom.testkit.load.LoadPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dispatcher measured end to end: N jobs published to a fresh jobs topic, {@code instances}
 * dispatcher processes in one consumer group sending them to the sink, until every job has its
 * terminal status on the status topic. Jobs/s runs from the first job published to the last terminal
 * status; CPU is every dispatcher process's over that window.
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

  DispatcherRun(KafkaBroker broker, BenchPlan plan, Sink sink, Path dir, String runId) {
    this.broker = broker;
    this.plan = plan;
    this.sink = sink;
    this.dir = dir;
    this.runId = runId;
    this.topics = Topics.unique("bench-" + runId).create(broker, plan.partitions());
  }

  /** Starts the dispatchers first, then publishes as fast as Kafka takes the jobs. */
  SenderResult run(int instances, int jobs) throws InterruptedException {
    startDispatchers(instances);
    try (StatusTally tally = new StatusTally(broker.bootstrapServers(), topics.status(), runId, jobs)) {
      double cpuBefore = cpuSeconds();
      long firstPublished = System.currentTimeMillis();
      CompletableFuture<LoadCommand.Published> published = CompletableFuture.supplyAsync(() ->
          LoadCommand.publish(loadPlan(jobs), runId, tally::published));
      boolean finished = tally.awaitFinished(jobs, timeout(jobs));
      double cpu = cpuSeconds() - cpuBefore;
      LoadCommand.Published publishing = published.join();
      if (publishing.failure() != null) {
        throw new IllegalStateException("publishing stopped: " + publishing.failure().getMessage());
      }
      double seconds = (tally.lastTerminalMillis() - firstPublished) / 1000.0;
      String note = "publish " + Math.round(publishing.jobs() / publishing.seconds()) + " jobs/s; states "
          + tally.states() + (finished ? "" : "; TIMED OUT with " + (jobs - tally.finished()) + " unfinished")
          + (tally.doubleTerminal() > 0 ? "; " + tally.doubleTerminal() + " SECOND TERMINAL EVENTS" : "");
      return new SenderResult(instances == 1 ? "postroom dispatcher" : "postroom dispatcher x" + instances,
          tally.sent(), tally.finished() - tally.sent(), seconds, cpu * 1e6 / Math.max(1, tally.sent()),
          tally.latencyPercentiles(), tally.perSecond(), peakHeap(), peakRss(), note);
    }
  }

  /**
   * The memory run: publishes {@code backlog} jobs before any dispatcher starts, then lets one work
   * until {@code warmupJobs} are done and measures its heap: the peak so far and the live set after a
   * full collection.
   */
  MemoryResult backlog(int backlog, int warmupJobs) throws InterruptedException {
    try (StatusTally tally = new StatusTally(broker.bootstrapServers(), topics.status(), runId, backlog)) {
      long started = System.nanoTime();
      LoadCommand.Published publishing = LoadCommand.publish(loadPlan(backlog), runId, tally::published);
      if (publishing.failure() != null) {
        throw new IllegalStateException("publishing stopped: " + publishing.failure().getMessage());
      }
      double publishSeconds = (System.nanoTime() - started) / 1e9;
      startDispatchers(1);
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
    DispatcherSettings settings = DispatcherSettings.of(broker.bootstrapServers(), topics, "bench-" + runId)
        .relay(sink.host(), sink.port(), Sink.USER, sink.password(), sink.trustPem())
        .env("POSTROOM_RELAY_POOL_SIZE", Integer.toString(plan.connections()))
        // production values, not the quick ones tests use
        .dispatch("commitInterval", "1s");
    for (int i = 0; i < instances; i++) {
      Path home = dir.resolve("dispatcher-" + runId + "-" + i);
      List<String> jvmOptions = plan.flightRecording()
          ? List.of("-XX:StartFlightRecording=settings=profile,filename=" + home.toAbsolutePath().resolve("dispatcher.jfr"))
          : List.of();
      DispatcherProcess dispatcher = DispatcherProcess.start(settings, home, Duration.ofSeconds(90), jvmOptions);
      dispatchers.add(dispatcher);
      probes.add(new ProcessProbe(dispatcher.pid(), dispatcher.httpPort()));
    }
  }

  private LoadPlan loadPlan(int jobs) {
    return new LoadPlan(jobs, 0, plan.tenants(), plan.size(), broker.bootstrapServers(), topics.jobs());
  }

  private static Duration timeout(int jobs) {
    return Duration.ofSeconds(120 + jobs / 100);
  }

  private double cpuSeconds() {
    return probes.stream().mapToDouble(ProcessProbe::cpuSeconds).sum();
  }

  private long peakHeap() {
    return probes.stream().mapToLong(ProcessProbe::peakHeapBytes).max().orElse(0);
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
