package io.postroom.dispatcher.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.dispatcher.kafka.RecordPosition;
import org.junit.jupiter.api.Test;

/** What one status event read from the status topic teaches the dedupe memories. */
class StatusTailTest {
  private static final String SOURCE = "mail.jobs/2/17";
  private static final RecordPosition POSITION = new RecordPosition("mail.jobs", 2, 17);

  private final SentJobs sent = new SentJobs(10);
  private final ReportedRecords reported = new ReportedRecords(10);

  @Test
  void aSentEventTeachesTheSentIdAndItsReportedRecord() {
    assertThat(StatusTail.learn(sent, reported, "a", State.SENT, SOURCE)).isTrue();

    assertThat(sent.sentBy("a")).isEqualTo(POSITION);
    assertThat(reported.contains(POSITION)).isTrue();
  }

  @Test
  void anotherTerminalEventTeachesOnlyItsReportedRecord() {
    assertThat(StatusTail.learn(sent, reported, "a", State.FAILED, SOURCE)).isFalse();

    assertThat(sent.contains("a")).isFalse();
    assertThat(reported.contains(POSITION)).isTrue();
  }

  @Test
  void aRetryingEventTeachesNothing() {
    assertThat(StatusTail.learn(sent, reported, "a", State.RETRYING, SOURCE)).isFalse();

    assertThat(reported.size()).isZero();
  }

  @Test
  void aSentEventWithoutASourceStillTeachesTheSentId() {
    assertThat(StatusTail.learn(sent, reported, "a", State.SENT, null)).isTrue();

    assertThat(sent.contains("a")).isTrue();
    assertThat(reported.size()).isZero();
  }

  @Test
  void anEventWithoutAStateHeaderTeachesNothing() {
    assertThat(StatusTail.learn(sent, reported, "a", null, SOURCE)).isFalse();

    assertThat(sent.size()).isZero();
  }
}
