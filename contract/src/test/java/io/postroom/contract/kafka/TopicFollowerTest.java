package io.postroom.contract.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The follower of the compacted topics against Kafka's MockConsumer. */
class TopicFollowerTest {
  private static final String TOPIC = "mail.templates";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

  /** Like a topic its process created a moment ago: the metadata has no partitions for the first answers. */
  private final AtomicInteger askedForPartitions = new AtomicInteger();
  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
    @Override
    public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
      return askedForPartitions.incrementAndGet() <= 3 ? List.of() : super.partitionsFor(topic, timeout);
    }
  };
  private final List<TopicFollower.Entry> read = new CopyOnWriteArrayList<>();
  private final TopicFollower follower = new TopicFollower(consumer, List.of(TOPIC), "topic-follower-test", read::addAll);

  @AfterEach
  void close() throws InterruptedException {
    follower.close();
  }

  @Test
  void aTopicWithNoPartitionsYetIsAskedForAgainAndThenReadFromItsStart() throws Exception {
    consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 2L));
    consumer.schedulePollTask(() -> {
      consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0L, "billing/statement/1", "{}".getBytes(UTF_8)));
      consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1L, "billing/statement/2", "{}".getBytes(UTF_8)));
    });

    follower.start().caughtUp().get(10, TimeUnit.SECONDS);

    assertThat(askedForPartitions.get()).isEqualTo(4);
    assertThat(read).extracting(TopicFollower.Entry::key).containsExactly("billing/statement/1", "billing/statement/2");
    assertThat(follower.applied(TOPIC, 0, 1L)).isCompleted();
  }
}
