package io.postroom.loadtest.bench;

import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Kafka ceiling measured as the warm dispatcher is: its JVM ({@code --client kafka-ceiling})
 * subscribes to a fresh jobs topic; {@code warmup} jobs are published and handled (its warm-up),
 * then {@code jobs} more are published into the running process and the window runs from the first
 * of them published to the last SENT status on the status topic. CPU from {@code /proc}.
 */
final class CeilingRun {
  static final String NAME = "Kafka ceiling";

  private CeilingRun() {
  }

  static SenderResult run(KafkaBroker broker, BenchPlan plan, Sink sink, Path dir, String runId, int warmup, int jobs)
      throws InterruptedException {
    Topics topics = Topics.unique("ceiling-" + runId).create(broker, plan.partitions());
    int total = warmup + jobs;
    BaselineRun process = BaselineRun.start("kafka-ceiling", plan, sink, runId, dir, List.of(
        "--messages", Integer.toString(total), "--bootstrap", broker.bootstrapServers(),
        "--jobs-topic", topics.jobs(), "--status-topic", topics.status()));
    try (StatusTally tally = new StatusTally(broker.bootstrapServers(), topics.status(), runId, total);
         JobPublisher publisher = new JobPublisher(broker.bootstrapServers(), topics.jobs(), plan.size(), plan.tenants());
         CpuSampler cpu = new CpuSampler(List.of(process.pid()))) {
      publisher.publish(runId, 0, warmup, tally::published);
      boolean warm = tally.awaitFinished(warmup, timeout(warmup));
      long start = System.currentTimeMillis();
      publisher.publish(runId, warmup, total, tally::published);
      boolean finished = warm && tally.awaitFinished(total, timeout(jobs));
      StatusTally.Batch batch = tally.batch(warmup, total, start);
      CpuSampler.Window window = cpu.window(start, batch.lastTerminalMillis());
      if (!finished) {
        process.kill();
      }
      JsonObject line = process.json();
      String error = line.getString("firstError");
      String note = "consumer → MailClient (pool " + plan.connections() + ", " + plan.connections()
          + " in flight) → producer, commit every 1 s" + (finished ? "" : "; TIMED OUT with "
          + (total - tally.finished()) + " unfinished") + (error == null ? "" : "; first error: " + error)
          + (tally.doubleTerminal() > 0 ? "; " + tally.doubleTerminal() + " SECOND TERMINAL EVENTS" : "");
      return new SenderResult(NAME, batch.sent(), batch.failed() + line.getLong("failed", 0L),
          Math.max(0, batch.lastTerminalMillis() - start) / 1000.0,
          window.processSeconds() * 1e6 / Math.max(1, batch.sent()), batch.latencyMillis(), batch.perSecond(), 0, 0,
          window.busyCores(), Double.NaN, tally.batch(0, warmup, start).sent(), Map.of(), note);
    } finally {
      if (process.isAlive()) {
        process.kill();
      }
    }
  }

  private static Duration timeout(int jobs) {
    return Duration.ofSeconds(120 + jobs / 100);
  }
}
