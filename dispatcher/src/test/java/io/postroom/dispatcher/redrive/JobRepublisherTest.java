package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.config.KafkaConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRepublisherTest {
  private static final KafkaConfig KAFKA = new KafkaConfig("kafka-1:9092", "postroom-dispatcher", "mail.jobs",
      "mail.status", "mail.jobs.dlq", Map.of("acks", "1", "max.request.size", "5242880"));

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
