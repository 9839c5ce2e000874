package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.bulk.BulkJobReader;
import io.postroom.contract.bulk.BulkReading;
import io.postroom.contract.bulk.Recipient;
import io.postroom.contract.bulk.RecipientSource;
import io.postroom.contract.template.MailTemplate;
import io.postroom.contract.template.RenderedMail;
import io.postroom.loadtest.baseline.BenchMessage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchBulkTest {
  private static final BenchBulk BULK = new BenchBulk("run1", 1024);

  private static RenderedMail rendered(int i) {
    JsonObject template = BULK.template();
    return (RenderedMail) MailTemplate.compile(template.getString("subject"), template.getString("text"), null)
        .render(io.postroom.contract.template.TemplateVars.of(BenchBulk.recipient(i).getJsonObject("vars")));
  }

  @Test
  void aFiveDigitRecipientsMailHasTheSingleJobsSubjectAndATextOfTheSameSize() {
    BenchMessage single = new BenchMessage("run1", 12_345, 1024);

    RenderedMail mail = rendered(12_345);

    assertThat(mail.subject()).isEqualTo(single.subject());
    assertThat(mail.text()).hasSize(1024).startsWith("Dear citizen, this is load test message 12345.\r\n");
  }

  @Test
  void aRecordIsAValidBulkJobOfItsRecipientsKeyedByTheirNumbers() {
    byte[] record = BULK.record(2_000, 3_000, 3).encode().getBytes(StandardCharsets.UTF_8);

    BulkReading reading = BulkJobReader.read(record);

    assertThat(reading.valid()).isTrue();
    assertThat(reading.job().tenant()).isEqualTo("tenant-3");
    assertThat(reading.job().part()).isEqualTo(1);
    try (RecipientSource recipients = reading.recipients()) {
      Recipient first = (Recipient) recipients.next();
      assertThat(reading.job().jobId(first.key())).isEqualTo(BULK.jobId(2_000)).isEqualTo("run1/2000");
      assertThat(first.to().toString()).isEqualTo("citizen2000@example.org");
    }
    assertThat(reading.recipientCount()).isEqualTo(1_000);
  }

  @Test
  void recordsAreCutAtEveryThousandthRecipientWhereverABatchStarts() {
    assertThat(BenchBulk.recordEnd(0, 20_000)).isEqualTo(1_000);
    assertThat(BenchBulk.recordEnd(500, 20_000)).isEqualTo(1_000);
    assertThat(BenchBulk.recordEnd(19_000, 19_500)).isEqualTo(19_500);
  }

  @Test
  void recordKeysSpreadTheChunksOfOneSend() {
    assertThat(BULK.recordKey(0)).isEqualTo("run1/1/0");
    assertThat(BULK.recordKey(1_999)).isEqualTo("run1/1/1");
  }

  @Test
  void aMessageWithAnAttachmentCannotBeABulkSend() {
    assertThatThrownBy(() -> new BenchBulk("run1", 100 * 1024)).isInstanceOf(IllegalArgumentException.class);
  }
}
