package io.postroom.loadtest.gatling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.JobValidator;
import io.postroom.contract.Validation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the Gatling simulations post is what the api takes: every job passes the api's own
 * validator, for the tenant and sender domain of the demo's key, with ids that never repeat. And
 * their parameters: defaults, and clear errors. (The simulations themselves run only with
 * {@code loadtest/gatling.sh} or {@code mvn -pl loadtest gatling:test}, not in mvn verify.)
 */
class JobBodiesTest {
  private final JobValidator validator = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);
  private final JobBodies bodies = new JobBodies("demo", "Gatling <noreply@example.gov.in>", "run-1");

  @Test
  void aSingleJobIsValidForTheDemoTenantAndItsSenderDomain() {
    String id = bodies.id("s", 7);
    Validation validation = validator.validate(bodies.job(id, 7).getBytes(StandardCharsets.UTF_8));

    assertThat(validation.violations()).isEmpty();
    assertThat(validation.job().id()).isEqualTo("gatling-run-1-s7");
    assertThat(validation.job().tenant()).isEqualTo("demo");
    assertThat(validation.job().from().domain()).isEqualTo("example.gov.in");
    assertThat(validation.job().recipients()).hasSize(1);
  }

  @Test
  void aBatchHasItsSizeOfValidJobsWithDistinctIds() {
    JsonArray jobs = new JsonObject(bodies.batch(bodies.id("b", 3), 3, 100)).getJsonArray("jobs");

    assertThat(jobs).hasSize(100);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < jobs.size(); i++) {
      Validation validation = validator.validate(jobs.getJsonObject(i));
      assertThat(validation.violations()).as("job %d", i).isEmpty();
      ids.add(validation.job().id());
    }
    assertThat(ids).hasSize(100).contains("gatling-run-1-b3-0", "gatling-run-1-b3-99");
  }

  @Test
  void feedersCountAndIdsDoNotRepeatAcrossKinds() {
    var single = bodies.feeder("s");
    var batch = bodies.feeder("b");
    assertThat(single.next()).containsEntry("n", 1L).containsEntry("id", "gatling-run-1-s1");
    assertThat(single.next()).containsEntry("n", 2L).containsEntry("id", "gatling-run-1-s2");
    assertThat(batch.next()).containsEntry("id", "gatling-run-1-b1");
  }

  @Test
  void parametersHaveDefaultsAndTheKeyIsRequired() {
    LoadParameters defaults = LoadParameters.from(properties("postroom.api.key", "k"), Map.of());
    assertThat(defaults.apiUrl()).isEqualTo("http://localhost:8080");
    assertThat(defaults.tenant()).isEqualTo("demo");
    assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.steady()).isEqualTo(Duration.ofSeconds(40));
    assertThat(defaults.batchSize()).isEqualTo(100);

    assertThat(LoadParameters.from(new Properties(), Map.of("POSTROOM_API_KEY", "from-env")).apiKey())
        .isEqualTo("from-env");
    assertThatThrownBy(() -> LoadParameters.from(new Properties(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postroom.api.key is required");
    assertThatThrownBy(() -> LoadParameters.from(properties("postroom.api.key", "k", "postroom.duration", "soon"),
        Map.of())).hasMessage("postroom.duration must be a number, not 'soon'");
    assertThatThrownBy(() -> LoadParameters.from(properties("postroom.api.key", "k", "postroom.duration", "10"),
        Map.of())).hasMessageContaining("at least postroom.ramp");
  }

  private static Properties properties(String... keysAndValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }
}
