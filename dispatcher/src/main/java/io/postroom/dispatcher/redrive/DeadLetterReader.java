package io.postroom.dispatcher.redrive;

import io.postroom.contract.config.KafkaSection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of the dead-letter topic from its beginning offset to the end offset it
 * had when the reading started. Blocking; for the command line only.
 *
 * <p>No consumer group and no commits: the partitions are assigned, not subscribed, so a re-drive
 * neither disturbs the dispatchers' group nor leaves a position behind, and running it again reads
 * the same letters again. The end offsets are fixed at the start because a re-driven job that fails
 * again is dead-lettered again while we read: reading on would re-drive it in a loop.
 */
final class DeadLetterReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(500);
  /** A reading that gets no further for this long is given up rather than left hanging. */
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  private final String topic;
  private final String bootstrapServers;
  private final KafkaConsumer<byte[], byte[]> consumer;

  DeadLetterReader(KafkaSection kafka) {
    this.topic = kafka.deadLetterTopic();
    this.bootstrapServers = kafka.bootstrapServers();
    this.consumer = new KafkaConsumer<>(consumerProperties(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static Map<String, Object> consumerProperties(KafkaSection kafka) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties("redrive-reader"));
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // reading a topic that is not there must not create it
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return props;
  }

  /** Hands each dead letter up to the end offsets of now to {@code each}, in offset order per partition. */
  void readAll(Consumer<DeadLetter> each) {
    try {
      read(each);
    } catch (KafkaException e) {
      throw new KafkaException("cannot read " + topic + " at " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  private void read(Consumer<DeadLetter> each) {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic);
    if (partitions == null || partitions.isEmpty()) {
      throw new KafkaException("the topic does not exist");
    }
    List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
    Map<TopicPartition, Long> reading = new HashMap<>(ends);
    long lastProgress = System.nanoTime();
    while (true) {
      reading.entrySet().removeIf(end -> {
        boolean done = consumer.position(end.getKey()) >= end.getValue();
        if (done) {
          consumer.pause(List.of(end.getKey()));
        }
        return done;
      });
      if (reading.isEmpty()) {
        return;
      }
      if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
        throw new KafkaException("got no further for " + STALL_LIMIT.toSeconds() + " s; partitions not read to the end: "
            + reading.keySet());
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        lastProgress = System.nanoTime();
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < ends.get(partition)) {
          each.accept(DeadLetter.of(record));
        }
      }
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
