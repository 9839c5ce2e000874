package io.postroom.dispatcher.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.kafka.RecordPosition;
import org.junit.jupiter.api.Test;

class SentJobsTest {
  private static final RecordPosition FIRST = new RecordPosition("mail.jobs", 0, 1);
  private static final RecordPosition SECOND = new RecordPosition("mail.jobs", 0, 2);

  @Test
  void aSentIdIsRememberedWithTheRecordThatSentIt() {
    SentJobs sent = new SentJobs(10);
    sent.remember("a", FIRST);

    assertThat(sent.contains("a")).isTrue();
    assertThat(sent.sentBy("a")).isEqualTo(FIRST);
    assertThat(sent.contains("b")).isFalse();
  }

  @Test
  void theFirstRecordThatSentAnIdIsKept() {
    SentJobs sent = new SentJobs(10);
    sent.remember("a", FIRST);
    sent.remember("a", SECOND);

    assertThat(sent.sentBy("a")).isEqualTo(FIRST);
  }

  @Test
  void anIdSentByAnUnknownRecordIsStillSent() {
    SentJobs sent = new SentJobs(10);
    sent.remember("a", null);
    sent.remember("a", SECOND);

    assertThat(sent.contains("a")).isTrue();
    assertThat(sent.sentBy("a")).isNull();
  }

  @Test
  void theOldestIdIsForgottenBeyondTheCapacity() {
    SentJobs sent = new SentJobs(2);
    sent.remember("a", FIRST);
    sent.remember("b", FIRST);
    sent.remember("c", FIRST);

    assertThat(sent.contains("a")).isFalse();
    assertThat(sent.size()).isEqualTo(2);
  }
}
