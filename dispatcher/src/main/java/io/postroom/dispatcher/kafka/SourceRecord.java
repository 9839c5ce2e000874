package io.postroom.dispatcher.kafka;

import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

/** Where a job came from: what a dead letter must carry back and what the offset tracker needs. */
public record SourceRecord(String topic, int partition, long offset, long timestamp, String key, Buffer value) {

  public static SourceRecord of(KafkaConsumerRecord<String, Buffer> record) {
    return new SourceRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
        record.key(), record.value());
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** "topic/partition/offset": the same for a record read again after a crash or rebalance. */
  public String coordinates() {
    return topic + "/" + partition + "/" + offset;
  }

  public byte[] bytes() {
    return value == null ? new byte[0] : value.getBytes();
  }
}
