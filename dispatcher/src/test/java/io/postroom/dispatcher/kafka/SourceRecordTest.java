package io.postroom.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.kafka.HeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SourceRecordTest {
  private static final long WRITTEN = 1_764_000_000_000L;

  private static KafkaConsumerRecord<String, Buffer> record(String topic, long offset, String origin) {
    RecordHeaders headers = new RecordHeaders();
    if (origin != null) {
      headers.add(HeaderNames.ORIGIN, origin.getBytes(StandardCharsets.UTF_8));
      headers.add(HeaderNames.ORIGIN_TIMESTAMP, "42".getBytes(StandardCharsets.UTF_8));
      headers.add(HeaderNames.ATTEMPTS, "2".getBytes(StandardCharsets.UTF_8));
    }
    return new KafkaConsumerRecordImpl<>(new ConsumerRecord<>(topic, 3, offset, WRITTEN, TimestampType.CREATE_TIME,
        0, 0, "job-1", Buffer.buffer("{}"), headers, Optional.empty()));
  }

  @Test
  void aJobsTopicRecordIsAFirstReadingFromWhereItIs() {
    SourceRecord source = SourceRecord.of(record("mail.jobs", 17, null), false);

    assertThat(source.coordinates()).hasToString("mail.jobs/3/17");
    assertThat(source.timestamp()).isEqualTo(WRITTEN);
    assertThat(source.journey().attempts()).isZero();
  }

  @Test
  void journeyHeadersThatUpstreamPutOnAJobsTopicRecordAreIgnored() {
    SourceRecord source = SourceRecord.of(record("mail.jobs", 17, "mail.jobs/0/1"), false);

    assertThat(source.coordinates()).hasToString("mail.jobs/3/17");
    assertThat(source.journey().attempts()).isZero();
  }

  @Test
  void aCopyOnAnOwnTopicKeepsItsOriginCoordinatesTimestampAndAttempts() {
    SourceRecord source = SourceRecord.of(record("mail.jobs.retry.10s", 5, "mail.jobs/0/1"), true);

    assertThat(source.coordinates()).hasToString("mail.jobs/0/1");
    assertThat(source.here()).hasToString("mail.jobs.retry.10s/3/5");
    assertThat(source.timestamp()).isEqualTo(42);
    assertThat(source.journey().attempts()).isEqualTo(2);
    assertThat(source.topicPartition().getTopic()).isEqualTo("mail.jobs.retry.10s");
  }
}
