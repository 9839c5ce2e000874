package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** What a failed re-drive says; the re-drive itself runs against a broker in the testkit (RedriveTest). */
class DeadLetterRedriveTest {

  @Test
  void aKafkaFailureIsDescribedWithTheReasonsOfItsCauses() {
    KafkaException error = new KafkaException("Failed to construct kafka consumer",
        new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"));

    assertThat(DeadLetterRedrive.describe(error))
        .isEqualTo("Failed to construct kafka consumer: No resolvable bootstrap urls given in bootstrap.servers");
  }

  @Test
  void aCauseWhoseMessageIsAlreadyQuotedIsNotRepeated() {
    KafkaException cause = new KafkaException("Timeout expired while fetching topic metadata");
    KafkaException error = new KafkaException("cannot read mail.jobs.dlq at kafka-1:9092: " + cause.getMessage(), cause);

    assertThat(DeadLetterRedrive.describe(error))
        .isEqualTo("cannot read mail.jobs.dlq at kafka-1:9092: Timeout expired while fetching topic metadata");
  }
}
