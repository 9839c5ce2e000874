package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
  void aSmallRunSendsEveryMessageOnceThroughEverySenderAndWritesResultsAndChart(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");

    int exit = Bench.run(List.of("--jobs", "300", "--per-message-seconds", "2", "--partitions", "4", "--out", out.toString()));

    assertThat(exit).isZero();
    JsonObject results = new JsonObject(Files.readString(out.resolve("results.json")));
    JsonObject senders = results.getJsonObject("senders");
    assertThat(senders.fieldNames()).containsExactly(BenchReport.RAW, BenchReport.DISPATCHER, BenchReport.JAKARTA,
        BenchReport.PER_MESSAGE);
    for (String role : List.of(BenchReport.RAW, BenchReport.DISPATCHER, BenchReport.JAKARTA)) {
      JsonObject sender = senders.getJsonObject(role);
      assertThat(sender.getLong("sent")).as(role).isEqualTo(300);
      assertThat(sender.getLong("sinkAccepted")).as(role).isEqualTo(300);
      assertThat(sender.getLong("sinkDistinct")).as(role).isEqualTo(300);
      assertThat(sender.getDouble("messagesPerSecond")).as(role).isPositive();
    }
    JsonObject perMessage = senders.getJsonObject(BenchReport.PER_MESSAGE);
    assertThat(perMessage.getLong("sent")).isPositive().isEqualTo(perMessage.getLong("sinkAccepted"));
    assertThat(senders.getJsonObject(BenchReport.DISPATCHER).getLong("peakHeapBytes")).isPositive();
    assertThat(senders.getJsonObject(BenchReport.DISPATCHER).getDouble("cpuMicrosPerMessage")).isPositive();
    assertThat(results.getJsonArray("targets")).hasSize(5);
    assertThat(results.getJsonArray("problems")).isEmpty();
    assertThat(Files.size(out.resolve("chart.png"))).isGreaterThan(10_000);
  }

  @Test
  void anUnknownOptionIsRefusedWithItsName() throws Exception {
    assertThat(Bench.run(List.of("--jobz", "5"))).isEqualTo(2);
  }
}
