package io.postroom.loadtest.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.JobValidator;
import io.postroom.contract.Validation;
import io.postroom.contract.cli.CommandRun;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        "--topic", topics.jobs()}, Map.of("POSTROOM_KAFKA_BOOTSTRAP", broker.bootstrapServers()));

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
        Map.of("POSTROOM_KAFKA_BOOTSTRAP", broker.bootstrapServers()));

    assertThat(exit).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("100 jobs at 200/s").isGreaterThan(Duration.ofMillis(450));
  }

  @Test
  void badArgumentsExitWith2() {
    assertThat(LoadCommand.run(new String[] {"--rate", "5"}, Map.of())).isEqualTo(2);
  }

  @Test
  void anUnreachableBrokerIsNamedWithinSecondsWithItsSetting() {
    long started = System.nanoTime();

    CommandRun run = CommandRun.of(new LoadCommand(Map.of("POSTROOM_KAFKA_START_TIMEOUT", "2s")), "--jobs", "10",
        "--bootstrap", "127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1).first().asString()
        .startsWith("postroom load: Kafka at 127.0.0.1:1").contains("POSTROOM_KAFKA_BOOTSTRAP");
    // the 2 s start timeout, and the JVM's first Kafka client: far from a client's own 60 s
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }
}
