package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.config.KafkaConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterReaderTest {
  private static final KafkaConfig KAFKA = new KafkaConfig("kafka-1:9092", "postroom-dispatcher", "mail.jobs",
      "mail.status", "mail.jobs.dlq", Map.of("group.id", "set-by-mistake", "security.protocol", "SSL"));

  @Test
  void theReaderJoinsNoConsumerGroupAndCommitsNothing() {
    Map<String, Object> props = DeadLetterReader.consumerProperties(KAFKA);

    assertThat(props).doesNotContainKey("group.id").containsEntry("enable.auto.commit", "false");
  }

  @Test
  void theReaderDoesNotCreateAMissingTopic() {
    assertThat(DeadLetterReader.consumerProperties(KAFKA)).containsEntry("allow.auto.create.topics", "false");
  }

  @Test
  void theReaderUsesTheDispatchersKafkaSettings() {
    assertThat(DeadLetterReader.consumerProperties(KAFKA))
        .containsEntry("bootstrap.servers", "kafka-1:9092").containsEntry("security.protocol", "SSL");
  }
}
