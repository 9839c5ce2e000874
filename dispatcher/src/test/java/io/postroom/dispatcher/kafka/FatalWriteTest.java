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
    assertThat(OutcomePublisher.isFatal(new SaslAuthenticationException("bad password"))).isTrue();
    assertThat(OutcomePublisher.isFatal(new TopicAuthorizationException("mail.status"))).isTrue();
    assertThat(OutcomePublisher.isFatal(new ProducerFencedException("fenced"))).isTrue();
  }

  @Test
  void aFatalErrorWrappedByTheProducerIsFatalToo() {
    assertThat(OutcomePublisher.isFatal(new KafkaException("Cannot perform send because at least one previous"
        + " transactional or idempotent request has failed", new TopicAuthorizationException("mail.status"))))
        .isTrue();
  }

  @Test
  void aBrokerThatIsAwayOrMovingIsRetried() {
    assertThat(OutcomePublisher.isFatal(new TimeoutException("Expiring 3 record(s)"))).isFalse();
    assertThat(OutcomePublisher.isFatal(new NotLeaderOrFollowerException("moved"))).isFalse();
  }
}
