package io.postroom.contract.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.JobValidator;
import io.postroom.contract.Validation;
import io.postroom.contract.template.MailTemplate;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 200,000-recipient bulk job: its recipients are read as they are asked for, never all at once.
 * Memory is not measured (that is timing- and GC-dependent); what is asserted is that the first
 * recipient comes after reading only the start of the input, which a reader that held the list
 * could not do.
 */
class StreamingRecipientsTest {
  private static final int RECIPIENTS = 200_000;
  private static byte[] json;

  @BeforeAll
  static void generate() {
    StringBuilder out = new StringBuilder(RECIPIENTS * 110);
    out.append("{\"kind\": \"bulk\", \"id\": \"big\", \"recipients\": [");
    for (int i = 0; i < RECIPIENTS; i++) {
      out.append(i == 0 ? "" : ",").append("{\"key\": \"c-").append(i).append("\", \"to\": \"person").append(i)
          .append("@example.org\", \"vars\": {\"name\": \"Person ").append(i).append("\", \"amount\": ").append(i)
          .append("}}");
    }
    // the template after the recipients: the first pass must find it
    out.append("], \"tenant\": \"pensions\", \"from\": \"noreply@example.gov.in\", \"template\": {\"subject\":"
        + " \"Statement for {{name}}\", \"text\": \"Paid {{amount}}\", \"html\": \"<p>Paid {{amount}}</p>\"}}");
    json = out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Counts the bytes the parser has taken from the input. */
  private static final class Counting extends FilterInputStream {
    long read;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      read += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      read += Math.max(n, 0);
      return n;
    }
  }

  @Test
  void theFirstRecipientComesBeforeMostOfTheInputIsRead() {
    Counting[] opened = new Counting[1];
    BulkReading reading = BulkJobReader.read(() -> opened[0] = new Counting(new ByteArrayInputStream(json)));
    assertThat(reading.valid()).as(reading.message()).isTrue();

    try (RecipientSource recipients = reading.recipients()) {
      RecipientEntry first = recipients.next();

      assertThat(first.key()).isEqualTo("c-0");
      assertThat(opened[0].read).isLessThan(64 * 1024).isLessThan(json.length / 100);
    }
  }

  @Test
  void everyRecipientIsReadAndCounted() {
    BulkReading reading = BulkJobReader.read(json);
    int count = 0;
    try (RecipientSource recipients = reading.recipients()) {
      while (recipients.hasNext()) {
        assertThat(recipients.next()).isInstanceOf(Recipient.class);
        count++;
      }
    }

    assertThat(reading.recipientCount()).isEqualTo(RECIPIENTS);
    assertThat(count).isEqualTo(RECIPIENTS);
  }

  /** Prints the rate of read + check + render + validate; a figure to read, not a bound. */
  @Test
  void printsTheExpansionRate() {
    JobValidator validator = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      BulkReading reading = BulkJobReader.read(json);
      MailTemplate template = reading.job().template().inline();
      int valid = 0;
      try (RecipientSource recipients = reading.recipients()) {
        while (recipients.hasNext()) {
          Recipient recipient = (Recipient) recipients.next();
          Validation job = validator.render(reading.job().jobJson(recipient), template, recipient.vars());
          valid += job.valid() ? 1 : 0;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(valid).isEqualTo(RECIPIENTS);
      if (round == 1) {
        System.out.printf(Locale.ROOT, "bulk expansion (read, check, render, validate): %,.0f recipients/s on one"
            + " thread, %,d recipients in %.2f s%n", RECIPIENTS / seconds, RECIPIENTS, seconds);
      }
    }
  }
}
