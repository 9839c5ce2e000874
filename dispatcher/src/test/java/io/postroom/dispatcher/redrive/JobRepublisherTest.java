package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.config.KafkaSection;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRepublisherTest {
  private static final KafkaSection KAFKA = KafkaSection.read(new JsonObject().put("kafka", new JsonObject()
      .put("bootstrap", "kafka-1:9092")
      .put("properties", new JsonObject().put("acks", "1").put("max.request.size", "5242880"))), Map.of())
      .forProcess("postroom-dispatcher");

  @Test
  void theRepublisherIsIdempotentAndWaitsForAllInSyncReplicas() {
    assertThat(JobRepublisher.producerProperties(KAFKA))
        .containsEntry("enable.idempotence", "true").containsEntry("acks", "all");
  }

  @Test
  void theRepublisherKeepsTheConfiguredRecordSizeSoLargeJobsCanGoBack() {
    assertThat(JobRepublisher.producerProperties(KAFKA)).containsEntry("max.request.size", "5242880");
  }
}
