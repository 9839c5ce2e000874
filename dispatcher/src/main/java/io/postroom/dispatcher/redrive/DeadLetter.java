package io.postroom.dispatcher.redrive;

import io.postroom.contract.kafka.HeaderNames;
import io.postroom.dispatcher.kafka.OutcomePublisher;
import io.postroom.dispatcher.kafka.RecordPosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record of the dead-letter topic, as written by {@link OutcomePublisher#deadLetter}: the job
 * record's original key and bytes, and why it is here. Key and value stay bytes, so that a re-drive
 * copies them exactly, even bytes that were rejected for not being UTF-8.
 */
public record DeadLetter(String topic, int partition, long offset, Instant timestamp, String code, String jobId,
    byte[] key, byte[] value) {

  public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
    return new DeadLetter(record.topic(), record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
        header(record, HeaderNames.ERROR_CODE), header(record, HeaderNames.JOB_ID),
        record.key(), record.value());
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Where the dead letter is; written as the dispatcher's {@code postroom-source} is. */
  public RecordPosition coordinates() {
    return new RecordPosition(topic, partition, offset);
  }

  /**
   * False for a dead letter written without the job's bytes because they were too large for the
   * producer: re-driving it would only turn it into an INVALID_JSON dead letter and lose the
   * pointer to the original that its {@code postroom-error} holds.
   */
  public boolean hasValue() {
    return value != null;
  }

  /**
   * The job record again, for {@code jobsTopic}: the original key and bytes, and where it was
   * re-driven from. The dead letter's own headers stay behind: the re-driven job is a new record
   * whose outcome the dispatcher decides afresh.
   */
  public ProducerRecord<byte[], byte[]> redriveTo(String jobsTopic) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(jobsTopic, key, value);
    record.headers().add(HeaderNames.REDRIVEN_FROM, coordinates().toString().getBytes(StandardCharsets.UTF_8));
    return record;
  }
}
