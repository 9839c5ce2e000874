package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPlanTest {
  private static final Path HOME = Path.of("/tmp/postroom-home");

  private static BenchPlan parse(String... args) {
    return BenchPlan.parse(List.of(args), HOME);
  }

  @Test
  void theDefaultIsFiveRepetitionsOfTwentyThousandWarmUpAndTwentyThousandMeasuredOneKilobyteMessages() {
    BenchPlan plan = parse();

    assertThat(plan.reps()).isEqualTo(5);
    assertThat(plan.jobs()).isEqualTo(20_000);
    assertThat(plan.warmup()).isEqualTo(20_000);
    assertThat(plan.size()).isEqualTo(1024);
    assertThat(plan.large()).isFalse();
    assertThat(plan.perMessageSeconds()).isEqualTo(10);
  }

  @Test
  void repsAndWarmUpAreTakenAsGiven() {
    BenchPlan plan = parse("--reps", "2", "--jobs", "10000", "--warmup", "3000");

    assertThat(plan.reps()).isEqualTo(2);
    assertThat(plan.jobs()).isEqualTo(10_000);
    assertThat(plan.warmup()).isEqualTo(3_000);
  }

  @Test
  void theWarmUpIsAsLongAsTheMeasuredWindowUnlessSaidOtherwise() {
    assertThat(parse("--jobs", "3000").warmup()).isEqualTo(3_000);
  }

  @Test
  void sizesTakeKAndMSuffixesOrPlainBytes() {
    assertThat(parse("--size", "100k").size()).isEqualTo(102_400);
    assertThat(parse("--size", "100k").large()).isTrue();
    assertThat(parse("--size", "1k").size()).isEqualTo(1024);
    assertThat(parse("--size", "2048").size()).isEqualTo(2048);
    assertThat(parse("--size", "1M").size()).isEqualTo(1_048_576);
  }

  @Test
  void aSizeThatIsNoSizeIsRefusedWithTheOption() {
    assertThatThrownBy(() -> parse("--size", "lots")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--size:");
    assertThatThrownBy(() -> parse("--size", "0")).hasMessageStartingWith("--size:");
  }

  @Test
  void zeroRepetitionsAreRefused() {
    assertThatThrownBy(() -> parse("--reps", "0")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--reps");
  }

  @Test
  void theHelpNamesTheNewOptions() {
    assertThat(BenchPlan.usage()).contains("--reps N", "--warmup W", "--size S", "100k", "Kafka ceiling",
        "within 10 %");
  }
}
