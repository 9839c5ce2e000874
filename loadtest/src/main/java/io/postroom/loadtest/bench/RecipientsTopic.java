package io.postroom.loadtest.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The recipients topic of a bench run ({@code kafka.topics.recipients}), watched from outside the
 * dispatcher: how many records it holds (the sum of its partitions' end offsets: the topic is fresh
 * and nothing deletes from it), and the timestamps of each partition's first and last record.
 */
final class RecipientsTopic implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;

  RecipientsTopic(String bootstrap, String topic) {
    this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false",
        "max.poll.records", "1",
        // the dispatcher creates the topic: a look before it has must not create it with the broker's defaults
        "allow.auto.create.topics", "false", "client.id", "postroom-bench-recipients"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
  }

  /** Records on the topic now; 0 while the dispatcher has not created it. */
  long records() {
    return partitions().isEmpty() ? 0
        : consumer.endOffsets(partitions()).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Waits, looking every 100 ms and noting each look in {@code timeline}, until the topic holds
   * {@code count} records; false on timeout.
   */
  boolean awaitRecords(long count, Duration timeout, ExpansionTimeline timeline) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long records = records();
      timeline.add(System.currentTimeMillis(), records);
      if (records >= count) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
  }

  /** Each partition's first and last record's timestamp. */
  List<ExpansionRate.Span> spans() {
    List<ExpansionRate.Span> spans = new ArrayList<>();
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions());
    ends.forEach((partition, end) -> {
      if (end > 0) {
        spans.add(new ExpansionRate.Span(timestamp(partition, 0), timestamp(partition, end - 1)));
      }
    });
    return spans;
  }

  private long timestamp(TopicPartition partition, long offset) {
    consumer.assign(List.of(partition));
    consumer.seek(partition, offset);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        return record.timestamp();
      }
    }
    throw new IllegalStateException("could not read record " + offset + " of " + partition);
  }

  private List<TopicPartition> partitions() {
    return consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
