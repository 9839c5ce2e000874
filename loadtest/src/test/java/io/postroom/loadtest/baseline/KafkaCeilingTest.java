package io.postroom.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.loadtest.baseline.BaselineOptions.Client;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.SmtpRelay;
import io.postroom.testkit.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka ceiling against the shared broker and the testkit's relay: every job read is sent once,
 * has one SENT status, and the consumer group's offsets end at the end of every partition. No timing
 * is asserted.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class KafkaCeilingTest {
  private static final String USER = "postroom";
  private static final String PASSWORD = "correct horse battery staple";
  private static final int CONNECTIONS = 3;
  private static final int PARTITIONS = 3;

  @Test
  void everyJobIsSentOnceWithOneStatusAndItsOffsetCommitted(Vertx vertx, @TempDir Path dir) throws Exception {
    SmtpRelay relay = new SmtpRelay(SmtpRelay.Options.builder().certificates(Certificates.localhost())
        .user(USER, PASSWORD).build()).start(vertx).await();
    Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    KafkaBroker broker = KafkaBroker.shared();
    Topics topics = Topics.unique("ceiling-test").create(broker, PARTITIONS);
    String runId = "c" + Long.toString(System.currentTimeMillis(), 36);
    int jobs = 60;
    // 20 KB: a text and an attachment, base64 in the job, as --size above 16k makes them
    int size = 20_000;
    broker.publishAll(IntStream.range(0, jobs).mapToObj(i -> new BenchMessage(runId, i, size))
        .map(message -> new ProducerRecord<>(topics.jobs(), message.jobId(),
            message.job(3).encode().getBytes(StandardCharsets.UTF_8))).toList());

    BaselineResult result = Baseline.run(new BaselineOptions(Client.KAFKA_CEILING, "localhost", relay.port(), USER,
        passwordFile, Certificates.localhost().caPem(), jobs, size, CONNECTIONS, runId, 0, 0,
        new BaselineOptions.KafkaTopics(broker.bootstrapServers(), topics.jobs(), topics.status())));

    assertThat(result.firstError()).isNull();
    assertThat(result.sent()).isEqualTo(jobs);
    assertThat(result.failed()).isZero();
    assertThat(result.exitCode()).isZero();
    Set<String> jobIds = IntStream.range(0, jobs).mapToObj(i -> runId + "-" + i).collect(Collectors.toSet());
    assertThat(relay.distinctMessageIds()).hasSize(jobs)
        .isEqualTo(jobIds.stream().map(JobMail::messageId).collect(Collectors.toSet()));
    assertThat(relay.count()).isEqualTo(jobs);
    assertThat(relay.connections()).isBetween(1, CONNECTIONS);
    assertThat(relay.received()).allSatisfy(mail -> {
      assertThat(mail.tls()).isTrue();
      assertThat(mail.user()).isEqualTo(USER);
      assertThat(mail.text()).contains("statement.pdf", "X-Campaign: load-" + runId);
    });

    List<ConsumerRecord<String, byte[]>> statuses = broker.readAll(topics.status(), jobs + 1, Duration.ofSeconds(5));
    assertThat(statuses).hasSize(jobs);
    assertThat(statuses).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(jobIds);
    assertThat(statuses).allSatisfy(record -> {
      JsonObject status = new JsonObject(Buffer.buffer(record.value()));
      assertThat(status.getString("state")).isEqualTo("SENT");
      assertThat(status.getString("id")).isEqualTo(record.key());
      assertThat(status.getString("at")).isNotBlank();
    });

    assertThat(committed(broker, "ceiling-" + runId, topics.jobs())).isEqualTo(endOffsets(broker, topics.jobs()))
        .satisfies(offsets -> assertThat(offsets.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(jobs));
  }

  private static KafkaConsumer<String, byte[]> consumer(KafkaBroker broker, String group) {
    return new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", group,
        "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static Set<TopicPartition> partitions(String topic) {
    return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
  }

  private static Map<Integer, Long> committed(KafkaBroker broker, String group, String topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(broker, group)) {
      Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(partitions(topic));
      return offsets.entrySet().stream().filter(entry -> entry.getValue() != null)
          .collect(Collectors.toMap(entry -> entry.getKey().partition(), entry -> entry.getValue().offset()));
    }
  }

  private static Map<Integer, Long> endOffsets(KafkaBroker broker, String topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(broker, "ceiling-test-ends")) {
      return consumer.endOffsets(partitions(topic)).entrySet().stream().filter(entry -> entry.getValue() > 0)
          .collect(Collectors.toMap(entry -> entry.getKey().partition(), java.util.Map.Entry::getValue));
    }
  }
}
