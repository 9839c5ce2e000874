package io.postroom.contract.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSectionTest {

  private static JsonObject file(JsonObject kafka) {
    return new JsonObject().put("kafka", kafka);
  }

  @Test
  void anEmptyFileGivesTheDocumentedDefaults() {
    KafkaSection kafka = KafkaSection.read(new JsonObject(), Map.of());

    assertThat(kafka.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(kafka.consumerGroup()).isEqualTo("postroom-dispatcher");
    assertThat(kafka.jobsTopic()).isEqualTo("mail.jobs");
    assertThat(kafka.statusTopic()).isEqualTo("mail.status");
    assertThat(kafka.deadLetterTopic()).isEqualTo("mail.jobs.dlq");
    assertThat(kafka.retryTopicPrefix()).isEqualTo("mail.jobs.retry");
    assertThat(kafka.laneTopicPrefix()).isEqualTo("mail.jobs.lanes");
    assertThat(kafka.templatesTopic()).isEqualTo("mail.templates");
    assertThat(kafka.bulkTopic()).isEqualTo("mail.bulk");
    assertThat(kafka.bulkControlTopic()).isEqualTo("mail.bulk.control");
    assertThat(kafka.recipientsTopic()).isEqualTo("mail.jobs.recipients");
    assertThat(kafka.properties()).isEmpty();
    assertThat(kafka.startTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(kafka.outageTolerance()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theEnvironmentOverridesTheFile() {
    KafkaSection kafka = KafkaSection.read(file(new JsonObject().put("bootstrap", "file:9092")
        .put("consumerGroup", "from-file").put("startTimeout", "30s")),
        Map.of("POSTROOM_KAFKA_BOOTSTRAP", "env:9092", "POSTROOM_CONSUMER_GROUP", "from-env",
            "POSTROOM_KAFKA_START_TIMEOUT", "3s"));

    assertThat(kafka.bootstrapServers()).isEqualTo("env:9092");
    assertThat(kafka.consumerGroup()).isEqualTo("from-env");
    assertThat(kafka.startTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theRetryAndLaneTopicsAreNamedAfterTheJobsTopic() {
    KafkaSection kafka = KafkaSection.read(
        file(new JsonObject().put("topics", new JsonObject().put("jobs", "tenant-a.jobs"))), Map.of());

    assertThat(kafka.retryTopicPrefix()).isEqualTo("tenant-a.jobs.retry");
    assertThat(kafka.laneTopicPrefix()).isEqualTo("tenant-a.jobs.lanes");
    assertThat(kafka.recipientsTopic()).isEqualTo("tenant-a.jobs.recipients");
  }

  @Test
  void aProcessAndItsInstancesKeepEveryTopicOfTheFile() {
    KafkaSection kafka = KafkaSection.read(file(new JsonObject().put("topics", new JsonObject()
        .put("jobs", "j").put("status", "s").put("dlq", "d").put("templates", "t").put("bulk", "b")
        .put("bulkControl", "c"))), Map.of()).forProcess("postroom-api").forInstance(1);

    assertThat(List.of(kafka.jobsTopic(), kafka.statusTopic(), kafka.deadLetterTopic(), kafka.retryTopicPrefix(),
        kafka.laneTopicPrefix(), kafka.templatesTopic(), kafka.bulkTopic(), kafka.bulkControlTopic()))
        .containsExactly("j", "s", "d", "j.retry", "j.lanes", "t", "b", "c");
  }

  @Test
  void propertiesArePassedAsText() {
    KafkaSection kafka = KafkaSection.read(file(new JsonObject().put("properties",
        new JsonObject().put("security.protocol", "SSL").put("linger.ms", 20))), Map.of());

    assertThat(kafka.properties()).containsEntry("security.protocol", "SSL").containsEntry("linger.ms", "20");
  }

  @Test
  void aBadDurationFromTheEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> KafkaSection.read(new JsonObject(), Map.of("POSTROOM_KAFKA_OUTAGE_TOLERANCE", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("POSTROOM_KAFKA_OUTAGE_TOLERANCE");
  }

  @Test
  void aBadDurationFromTheFileNamesItsKey() {
    assertThatThrownBy(() -> KafkaSection.read(file(new JsonObject().put("startTimeout", "0s")), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.startTimeout");
  }

  @Test
  void aSectionThatIsNotAnObjectIsRefusedByName() {
    assertThatThrownBy(() -> KafkaSection.read(new JsonObject().put("kafka", "localhost:9092"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka");
  }

  @Test
  void eachClientOfAProcessIsNamedAfterTheProcessAndItsRole() {
    KafkaSection kafka = KafkaSection.read(new JsonObject(), Map.of()).forProcess("postroom-api");

    assertThat(kafka.clientProperties("status")).containsEntry("client.id", "postroom-api-status")
        .containsEntry("bootstrap.servers", "localhost:9092");
  }

  @Test
  void aClientIdInThePropertiesNamesTheClientsInsteadOfTheProcess() {
    KafkaSection kafka = KafkaSection.read(file(new JsonObject().put("properties",
        new JsonObject().put("client.id", "billing-mail"))), Map.of()).forProcess("postroom-api");

    assertThat(kafka.clientProperties("status")).containsEntry("client.id", "billing-mail-status");
  }

  @Test
  void theInstancesOfAProcessHaveClientIdsOfTheirOwn() {
    KafkaSection kafka = KafkaSection.read(new JsonObject(), Map.of()).forProcess("postroom-dispatcher");

    assertThat(kafka.forInstance(1).clientProperties("jobs")).containsEntry("client.id", "postroom-dispatcher-1-jobs");
    assertThat(kafka.forInstance(1).properties()).isEqualTo(kafka.properties());
  }
}
