package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.Cli;
import io.postroom.testkit.IntegrationTest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/postroom bench} end to end on a small run: real broker, relay simulator, dispatcher and
 * the three baselines. It checks that every sender's messages arrive once and that the results are
 * written; the numbers themselves are the benchmark's business, not the test's.
 */
class BenchTest {

  @Test
  @IntegrationTest
  void aSmallRunSendsEveryMessageOnceThroughEverySenderAndWritesResultsAndChart(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");

    int exit = Cli.run(new Bench(Path.of(".")), new String[] {"--jobs", "300", "--warmup", "200", "--reps", "1",
        "--per-message-seconds", "2", "--partitions", "4", "--out", out.toString()}, System.out, System.err);

    assertThat(exit).isZero();
    JsonObject results = new JsonObject(Files.readString(out.resolve("results.json")));
    JsonObject senders = results.getJsonObject("senders");
    assertThat(senders.fieldNames()).containsExactlyInAnyOrder(BenchReport.COLD, BenchReport.WARM,
        BenchReport.CEILING, BenchReport.RAW, BenchReport.JAKARTA, BenchReport.PER_MESSAGE);
    assertThat(senders.getJsonObject(BenchReport.COLD).getLong("sent")).isEqualTo(200);
    for (String role : List.of(BenchReport.WARM, BenchReport.CEILING, BenchReport.RAW, BenchReport.JAKARTA)) {
      JsonObject sender = senders.getJsonObject(role);
      assertThat(sender.getLong("sent")).as(role).isEqualTo(300);
      assertThat(sender.getJsonObject("messagesPerSecond").getDouble("median")).as(role).isPositive();
      assertThat(sender.getJsonObject("cpuMicrosPerMessage").getDouble("median")).as(role).isPositive();
    }
    assertThat(results.getJsonArray("sinkChecks")).hasSize(5).allSatisfy(check -> {
      JsonObject sink = (JsonObject) check;
      assertThat(sink.getLong("distinct")).as(sink.getString("sender")).isEqualTo(sink.getLong("expected"));
      assertThat(sink.getLong("duplicates")).isZero();
    });
    JsonObject warm = senders.getJsonObject(BenchReport.WARM).getJsonArray("reps").getJsonObject(0);
    assertThat(warm.getLong("peakHeapBytes")).isPositive();
    assertThat(warm.getJsonObject("jobsMoved").fieldNames()).contains("lane", "retry");
    assertThat(results.getJsonArray("targets").stream().map(t -> ((JsonObject) t).getString("target")))
        .anyMatch(name -> name.startsWith("warm dispatcher vs Kafka ceiling"));
    assertThat(results.getJsonArray("problems")).isEmpty();
    assertThat(Files.size(out.resolve("chart.png"))).isGreaterThan(10_000);
  }
}
