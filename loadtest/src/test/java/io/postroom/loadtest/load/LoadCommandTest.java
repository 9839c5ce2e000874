package io.postroom.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.JobValidator;
import io.postroom.contract.Validation;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** {@code bin/postroom load} against the real broker: the jobs it publishes are there, valid, spread, paced. */
@IntegrationTest
class LoadCommandTest {
  private final KafkaBroker broker = KafkaBroker.shared();

  @Test
  void itPublishesExactlyTheJobsAskedForAllValidAndSpreadOverTheTenants() {
    Topics topics = Topics.unique("load").create(broker, 4);

    int exit = LoadCommand.run(new String[] {"--jobs", "300", "--tenants", "3", "--size", "2000",
        "--topic", topics.jobs()}, broker.bootstrapServers());

    List<ConsumerRecord<String, byte[]>> records = broker.readAll(topics.jobs(), 301, Duration.ofSeconds(3));
    assertThat(exit).isZero();
    assertThat(records).hasSize(300);
    JobValidator validator = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);
    List<Validation> jobs = records.stream().map(r -> validator.validate(r.value())).toList();
    assertThat(jobs).allSatisfy(v -> assertThat(v.valid()).as(String.valueOf(v.message())).isTrue());
    assertThat(jobs.stream().map(v -> v.job().tenant()).collect(Collectors.toSet()))
        .isEqualTo(Set.of("tenant-1", "tenant-2", "tenant-3"));
    assertThat(jobs).allSatisfy(v -> assertThat(v.job().text()).hasSize(2000));
    assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(validator.validate(r.value()).job().id()));
  }

  @Test
  void aRateIsNotExceeded() {
    Topics topics = Topics.unique("load-rate").create(broker, 4);
    long started = System.nanoTime();

    int exit = LoadCommand.run(new String[] {"--jobs", "100", "--rate", "200", "--topic", topics.jobs()},
        broker.bootstrapServers());

    assertThat(exit).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("100 jobs at 200/s").isGreaterThan(Duration.ofMillis(450));
  }

  @Test
  void badArgumentsExitWith2() {
    assertThat(LoadCommand.run(new String[] {"--rate", "5"}, broker.bootstrapServers())).isEqualTo(2);
  }
}
