package io.postroom.dispatcher.kafka;

import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

/**
 * A record being worked on: where it is (what the offset tracker needs), what it holds (what a dead
 * letter must carry back), and the {@link Journey} of its job, which says where the job was first
 * read when this is a copy on a retry or lane topic.
 */
public record SourceRecord(String topic, int partition, long offset, String key, Buffer value, Journey journey) {

  /**
   * A record as read: on the jobs topic, a job's first record (whatever headers upstream put on it);
   * on one of the dispatcher's own topics ({@code ownTopic}), a copy whose journey is in its headers.
   */
  public static SourceRecord of(KafkaConsumerRecord<String, Buffer> record, boolean ownTopic) {
    RecordPosition here = new RecordPosition(record.topic(), record.partition(), record.offset());
    Journey journey = ownTopic
        ? Journey.fromHeaders(record.headers(), here, record.timestamp())
        : Journey.start(here, record.timestamp());
    return new SourceRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(), journey);
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /**
   * Where the job's <em>first</em> record is: the same for a record read again after a crash or
   * rebalance, and for every copy of the job on a retry or lane topic.
   */
  public RecordPosition coordinates() {
    return journey.origin();
  }

  /** Where this very record is, which differs from {@link #coordinates()} for a copy. */
  public RecordPosition here() {
    return new RecordPosition(topic, partition, offset);
  }

  /** The first record's timestamp: the Message-ID is made from it, so it is the same on every attempt. */
  public long timestamp() {
    return journey.originTimestamp();
  }

  public byte[] bytes() {
    return value == null ? new byte[0] : value.getBytes();
  }
}
