package io.postroom.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadPlanTest {

  @Test
  void onlyTheNumberOfJobsIsRequired() {
    LoadPlan plan = LoadPlan.parse(List.of("--jobs", "100000"), null);

    assertThat(plan).isEqualTo(new LoadPlan(100_000, 0, 3, 1024, "localhost:9092", "mail.jobs"));
  }

  @Test
  void everyOptionTakesItsValueAfterASpaceOrAnEqualsSign() {
    LoadPlan plan = LoadPlan.parse(List.of("--jobs=1,000", "--rate", "250.5", "--tenants=5", "--size", "102400",
        "--bootstrap=kafka:9092", "--topic", "jobs.test"), "ignored:9092");

    assertThat(plan).isEqualTo(new LoadPlan(1000, 250.5, 5, 102_400, "kafka:9092", "jobs.test"));
  }

  @Test
  void theBrokerComesFromTheEnvironmentUnlessGiven() {
    assertThat(LoadPlan.parse(List.of("--jobs", "1"), "kafka-1:9092").bootstrap()).isEqualTo("kafka-1:9092");
  }

  @Test
  void withoutJobsItSaysTheyAreRequired() {
    assertThatThrownBy(() -> LoadPlan.parse(List.of("--rate", "10"), null))
        .hasMessageStartingWith("--jobs: required");
  }

  @Test
  void anUnboundedOrNegativeRunIsRefused() {
    assertThatThrownBy(() -> LoadPlan.parse(List.of("--jobs", "20000000"), null)).hasMessageContaining("--jobs");
    assertThatThrownBy(() -> LoadPlan.parse(List.of("--jobs", "10", "--rate", "-1"), null)).hasMessageContaining("--rate");
  }

  @Test
  void anOptionWithoutItsValueOrAnUnknownOneIsNamed() {
    assertThatThrownBy(() -> LoadPlan.parse(List.of("--jobs", "--rate", "5"), null)).hasMessage("--jobs: needs a value");
    assertThatThrownBy(() -> LoadPlan.parse(List.of("--jobs", "5", "--fast"), null)).hasMessageStartingWith("--fast: unknown");
  }
}
