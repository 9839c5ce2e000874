package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  private static final Instant DEAD_LETTERED = Instant.parse("2026-11-22T10:00:01.234Z");
  private static final byte[] KEY = "order-4711".getBytes(StandardCharsets.UTF_8);
  /** Not UTF-8: a re-drive must copy bytes, not text. */
  private static final byte[] VALUE = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

  /** A dead letter as the dispatcher's OutcomePublisher writes one. */
  private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("postroom-error", "attempts ran out: 451 4.3.0 try later".getBytes(StandardCharsets.UTF_8));
    headers.add("postroom-error-code", "RETRIES_EXHAUSTED".getBytes(StandardCharsets.UTF_8));
    headers.add("postroom-source-topic", "mail.jobs".getBytes(StandardCharsets.UTF_8));
    headers.add("postroom-source-partition", "3".getBytes(StandardCharsets.UTF_8));
    headers.add("postroom-source-offset", "812".getBytes(StandardCharsets.UTF_8));
    headers.add("postroom-job-id", "order-4711".getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>("mail.jobs.dlq", 2, 17, DEAD_LETTERED.toEpochMilli(), TimestampType.CREATE_TIME,
        KEY.length, value == null ? -1 : value.length, KEY, value, headers, Optional.empty());
  }

  @Test
  void aDeadLetterIsReadWithItsCodeJobIdAndTime() {
    DeadLetter letter = DeadLetter.of(record(VALUE));

    assertThat(letter.code()).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(letter.jobId()).isEqualTo("order-4711");
    assertThat(letter.timestamp()).isEqualTo(DEAD_LETTERED);
    assertThat(letter.coordinates()).hasToString("mail.jobs.dlq/2/17");
  }

  @Test
  void aDeadLetterWithoutCodeHeaderHasNoCode() {
    ConsumerRecord<byte[], byte[]> record = record(VALUE);
    record.headers().remove("postroom-error-code");

    assertThat(DeadLetter.of(record).code()).isNull();
  }

  @Test
  void theReDrivenRecordGoesToTheJobsTopicWithTheOriginalKeyAndBytes() {
    ProducerRecord<byte[], byte[]> redriven = DeadLetter.of(record(VALUE)).redriveTo("mail.jobs");

    assertThat(redriven.topic()).isEqualTo("mail.jobs");
    assertThat(redriven.key()).isEqualTo(KEY);
    assertThat(redriven.value()).isEqualTo(VALUE);
    assertThat(redriven.partition()).as("partitioned by its key, like the original").isNull();
  }

  @Test
  void theReDrivenRecordSaysWhichDeadLetterItCameFromAndCarriesNoOtherHeader() {
    ProducerRecord<byte[], byte[]> redriven = DeadLetter.of(record(VALUE)).redriveTo("mail.jobs");

    assertThat(redriven.headers().toArray()).extracting(Header::key).containsExactly("postroom-redriven-from");
    assertThat(new String(redriven.headers().lastHeader("postroom-redriven-from").value(), StandardCharsets.UTF_8))
        .isEqualTo("mail.jobs.dlq/2/17");
  }

  @Test
  void aDeadLetterWrittenWithoutItsBytesCannotBeReDriven() {
    assertThat(DeadLetter.of(record(null)).hasValue()).isFalse();
    assertThat(DeadLetter.of(record(VALUE)).hasValue()).isTrue();
  }
}
