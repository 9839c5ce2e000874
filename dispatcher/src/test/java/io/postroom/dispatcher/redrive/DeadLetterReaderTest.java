package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.config.KafkaSection;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterReaderTest {
  private static final KafkaSection KAFKA = KafkaSection.read(new JsonObject().put("kafka", new JsonObject()
      .put("bootstrap", "kafka-1:9092")
      .put("properties", new JsonObject().put("group.id", "set-by-mistake").put("security.protocol", "SSL"))), Map.of())
      .forProcess("postroom-dispatcher");

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
