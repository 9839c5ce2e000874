package io.postroom.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordPositionTest {

  @Test
  void isWrittenAsTopicPartitionOffset() {
    assertThat(new RecordPosition("mail.jobs", 3, 17)).hasToString("mail.jobs/3/17");
  }

  @Test
  void isReadBackFromItsWrittenForm() {
    assertThat(RecordPosition.parse("mail.jobs.retry.10s/0/4711"))
        .isEqualTo(new RecordPosition("mail.jobs.retry.10s", 0, 4711));
  }

  @Test
  void aTextThatIsNotAPositionIsRefused() {
    assertThatThrownBy(() -> RecordPosition.parse("mail.jobs/3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecordPosition.parse("mail.jobs/x/17")).isInstanceOf(IllegalArgumentException.class);
    assertThat(RecordPosition.parseOrNull("/3/17")).isNull();
    assertThat(RecordPosition.parseOrNull(null)).isNull();
  }

  @Test
  void aRecipientOfABulkRecordIsWrittenAfterItsRecord() {
    assertThat(new RecordPosition("mail.jobs", 3, 17).recipient(41)).hasToString("mail.jobs/3/17/41");
  }

  @Test
  void aRecipientsPositionIsReadBackAndDiffersFromItsRecordAndItsNeighbours() {
    RecordPosition record = new RecordPosition("mail.jobs", 3, 17);
    assertThat(RecordPosition.parse("mail.jobs/3/17/41")).isEqualTo(record.recipient(41))
        .isNotEqualTo(record).isNotEqualTo(record.recipient(40));
  }

  @Test
  void aNegativeRecipientIsRefused() {
    assertThatThrownBy(() -> new RecordPosition("mail.jobs", 3, 17).recipient(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RecordPosition.parseOrNull("mail.jobs/3/17/-2")).isNull();
    assertThat(RecordPosition.parseOrNull("mail.jobs/3/17/4/1")).isNull();
  }
}
