package io.postroom.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.CommandRun;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options of {@code bin/postroom load}; nothing here reaches Kafka. */
class LoadOptionsTest {

  private static LoadPlan parse(String bootstrapFromEnv, String... args) {
    return CommandRun.parsed(new LoadCommand(bootstrapFromEnv == null ? Map.of()
        : Map.of("POSTROOM_KAFKA_BOOTSTRAP", bootstrapFromEnv)), args).plan();
  }

  private static String refusal(String... args) {
    return CommandRun.refusal(new LoadCommand(Map.of()), args);
  }

  @Test
  void onlyTheNumberOfJobsIsRequired() {
    assertThat(parse(null, "--jobs", "100000")).isEqualTo(new LoadPlan(100_000, 0, 3, 1024, "localhost:9092", "mail.jobs"));
  }

  @Test
  void everyOptionTakesItsValueAfterASpaceOrAnEqualsSign() {
    LoadPlan plan = parse("ignored:9092", "--jobs=1,000", "--rate", "250.5", "--tenants=5", "--size", "102400",
        "--bootstrap=kafka:9092", "--topic", "jobs.test");

    assertThat(plan).isEqualTo(new LoadPlan(1000, 250.5, 5, 102_400, "kafka:9092", "jobs.test"));
  }

  @Test
  void theBrokerComesFromTheEnvironmentUnlessGiven() {
    assertThat(parse("kafka-1:9092", "--jobs", "1").bootstrap()).isEqualTo("kafka-1:9092");
  }

  @Test
  void withoutJobsItSaysTheyAreRequired() {
    assertThat(refusal("--rate", "10")).isEqualTo("postroom load: missing required option --jobs");
  }

  @Test
  void aNumberOfJobsThatIsNoNumberIsNamed() {
    assertThat(refusal("--jobs", "x")).isEqualTo("postroom load: invalid value for --jobs: 'x' is not a whole number");
  }

  @Test
  void anUnboundedRunIsRefused() {
    assertThat(refusal("--jobs", "20000000"))
        .isEqualTo("postroom load: invalid value for --jobs: must be from 1 to 10,000,000, got 20,000,000");
  }

  @Test
  void aNegativeRateIsRefused() {
    assertThat(refusal("--jobs", "10", "--rate", "-1")).isEqualTo("postroom load: invalid value for --rate: must be 0"
        + " or more, got -1");
  }

  @Test
  void anOptionWithoutItsValueIsNamed() {
    assertThat(refusal("--jobs", "--rate", "5")).startsWith("postroom load: --jobs needs a value");
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThat(refusal("--jobs", "5", "--fast")).startsWith("postroom load: unknown option '--fast'");
  }

  @Test
  void theHelpNamesEveryOptionAndItsDefault() {
    CommandRun run = CommandRun.of(new LoadCommand(Map.of()), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: bin/postroom load").contains("--jobs=N", "--rate=R", "(0)",
        "--tenants=T", "(3)", "--size=BYTES", "(1024)", "--bootstrap=HOST:PORT", "POSTROOM_KAFKA_BOOTSTRAP",
        "--topic=NAME", "(mail.jobs)");
  }
}
