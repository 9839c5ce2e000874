package io.postroom.dispatcher.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.kafka.RecordPosition;
import org.junit.jupiter.api.Test;

class ReportedRecordsTest {

  @Test
  void aReportedRecordIsKnownByItsPosition() {
    ReportedRecords reported = new ReportedRecords(10);
    reported.add(new RecordPosition("mail.jobs", 0, 7));

    assertThat(reported.contains(new RecordPosition("mail.jobs", 0, 7))).isTrue();
    assertThat(reported.contains(new RecordPosition("mail.jobs", 1, 7))).isFalse();
  }

  @Test
  void anUnknownPositionIsNotRemembered() {
    ReportedRecords reported = new ReportedRecords(10);
    reported.add(null);

    assertThat(reported.size()).isZero();
  }

  @Test
  void theOldestRecordIsForgottenBeyondTheCapacity() {
    ReportedRecords reported = new ReportedRecords(1);
    reported.add(new RecordPosition("mail.jobs", 0, 7));
    reported.add(new RecordPosition("mail.jobs", 0, 8));

    assertThat(reported.contains(new RecordPosition("mail.jobs", 0, 7))).isFalse();
  }
}
