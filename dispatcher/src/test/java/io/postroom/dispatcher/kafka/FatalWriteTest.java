package io.postroom.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which failed writes end the process (no retry mends them) and which are retried until Kafka takes them. */
class FatalWriteTest {

  @Test
  void refusedCredentialsRightsOrAFencedProducerAreFatal() {
    assertThat(WriteRetries.isFatal(new SaslAuthenticationException("bad password"))).isTrue();
    assertThat(WriteRetries.isFatal(new TopicAuthorizationException("mail.status"))).isTrue();
    assertThat(WriteRetries.isFatal(new ProducerFencedException("fenced"))).isTrue();
  }

  @Test
  void aFatalErrorWrappedByTheProducerIsFatalToo() {
    assertThat(WriteRetries.isFatal(new KafkaException("Cannot perform send because at least one previous"
        + " transactional or idempotent request has failed", new TopicAuthorizationException("mail.status"))))
        .isTrue();
  }

  @Test
  void aBrokerThatIsAwayOrMovingIsRetried() {
    assertThat(WriteRetries.isFatal(new TimeoutException("Expiring 3 record(s)"))).isFalse();
    assertThat(WriteRetries.isFatal(new NotLeaderOrFollowerException("moved"))).isFalse();
  }
}
