package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.CommandRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The options of {@code bin/postroom bench}; nothing here starts a broker. */
class BenchOptionsTest {
  private static final Path HOME = Path.of("/tmp/postroom-home");

  private static BenchPlan parse(String... args) {
    return CommandRun.parsed(new Bench(HOME), args).plan();
  }

  private static String refusal(String... args) {
    return CommandRun.refusal(new Bench(HOME), args);
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
    assertThat(plan.connections()).isEqualTo(8);
    assertThat(plan.baselines()).isTrue();
    assertThat(plan.out().getParent()).isEqualTo(HOME.resolve("loadtest/target/bench"));
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
    assertThat(refusal("--size", "lots")).isEqualTo("postroom bench: invalid value for --size: 'lots' is not a size"
        + " such as 1k, 100k or 2048");
  }

  @Test
  void aSizeOfNothingIsRefused() {
    assertThat(refusal("--size", "0")).isEqualTo("postroom bench: invalid value for --size: must be 1 byte to 30 MB,"
        + " got 0");
  }

  @Test
  void zeroRepetitionsAreRefused() {
    assertThat(refusal("--reps", "0")).isEqualTo("postroom bench: invalid value for --reps: must be from 1 to 100, got 0");
  }

  @Test
  void aMemoryRunWarmUpLongerThanItsSmallBacklogIsRefused() {
    assertThat(refusal("--warmup-jobs", "20000")).startsWith("postroom bench: invalid value for --warmup-jobs: must be"
        + " from 100 to 10,000");
  }

  @Test
  void anUnknownOptionIsRefused() {
    assertThat(refusal("--repetitions", "3")).startsWith("postroom bench: unknown option '--repetitions'");
  }

  @Test
  void theHelpNamesTheOptionsAndHowFiguresAreMeasured() {
    CommandRun run = CommandRun.of(new Bench(HOME), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: bin/postroom bench").contains("--reps=N", "--warmup=W", "--size=S",
        "100k", "Kafka ceiling", "within 10 %", "--postfix", "--memory", "--scale", "--jfr", "--no-baselines",
        "(20000)", "(5)");
  }

  @Test
  void bulkAddsTheBulkRunsToAnOtherwiseOrdinaryPlan() {
    assertThat(parse().bulk()).isFalse();
    assertThat(parse("--bulk").bulk()).isTrue();
    assertThat(parse("--bulk", "--memory").memory()).isTrue();
  }

  @Test
  void bulkMessagesWithAnAttachmentAreRefused() {
    assertThat(refusal("--bulk", "--size", "100k")).isEqualTo("postroom bench: invalid value for --bulk: a bulk send's"
        + " template has no attachment: use a --size of at most 16k");
  }

  @Test
  void bulkAndScaleAreRefusedTogether() {
    assertThat(refusal("--bulk", "--scale")).startsWith("postroom bench: invalid value for --bulk: not with --scale");
  }
}
