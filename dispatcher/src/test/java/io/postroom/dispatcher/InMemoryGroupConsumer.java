package io.postroom.dispatcher;

import io.postroom.dispatcher.kafka.GroupConsumer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordsImpl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * A consumer in the group, in memory: the test assigns, revokes and polls as the group coordinator
 * and the fetcher would; what the job consumer pauses, resumes and commits is kept for it to read.
 * Every call answers at once. Call it on the job consumer's event loop.
 */
final class InMemoryGroupConsumer implements GroupConsumer {
  /** Partitions of every topic, for {@link #partitionsFor}. */
  static final int PARTITIONS = 4;

  final Set<TopicPartition> paused = new HashSet<>();
  final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();
  Map<String, String> properties;
  Set<String> subscribed;
  private Handler<KafkaConsumerRecords<String, Buffer>> batchHandler;
  private Handler<Set<TopicPartition>> assignedHandler;
  private Handler<Set<TopicPartition>> revokedHandler;

  /** Made by the job consumer with these properties. */
  GroupConsumer made(Map<String, String> properties) {
    this.properties = properties;
    return this;
  }

  void assign(TopicPartition... partitions) {
    Set<TopicPartition> assigned = Set.of(partitions);
    paused.removeAll(assigned);
    assignedHandler.handle(assigned);
  }

  void revoke(TopicPartition... partitions) {
    revokedHandler.handle(Set.of(partitions));
  }

  /** One poll's records, grouped by partition as Kafka's fetcher returns them, in their order within each. */
  void poll(ConsumerRecord<String, Buffer>... records) {
    Map<org.apache.kafka.common.TopicPartition, List<ConsumerRecord<String, Buffer>>> byPartition =
        new LinkedHashMap<>();
    for (ConsumerRecord<String, Buffer> record : records) {
      byPartition.computeIfAbsent(new org.apache.kafka.common.TopicPartition(record.topic(), record.partition()),
          p -> new ArrayList<>()).add(record);
    }
    batchHandler.handle(new KafkaConsumerRecordsImpl<>(new ConsumerRecords<>(byPartition)));
  }

  /** The partition's committed offset (the next to read), or -1 before its first commit. */
  long committed(TopicPartition partition) {
    long committed = -1;
    for (Map<TopicPartition, OffsetAndMetadata> commit : commits) {
      OffsetAndMetadata offset = commit.get(partition);
      if (offset != null) {
        committed = offset.getOffset();
      }
    }
    return committed;
  }

  @Override
  public void batchHandler(Handler<KafkaConsumerRecords<String, Buffer>> handler) {
    batchHandler = handler;
  }

  @Override
  public void partitionsAssignedHandler(Handler<Set<TopicPartition>> handler) {
    assignedHandler = handler;
  }

  @Override
  public void partitionsRevokedHandler(Handler<Set<TopicPartition>> handler) {
    revokedHandler = handler;
  }

  @Override
  public Future<Void> subscribe(Set<String> topics) {
    subscribed = topics;
    return Future.succeededFuture();
  }

  @Override
  public Future<List<PartitionInfo>> partitionsFor(String topic) {
    return Future.succeededFuture(IntStream.range(0, PARTITIONS)
        .mapToObj(i -> new PartitionInfo().setTopic(topic).setPartition(i)).toList());
  }

  @Override
  public Future<Void> pause(Set<TopicPartition> partitions) {
    paused.addAll(partitions);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> resume(Set<TopicPartition> partitions) {
    paused.removeAll(partitions);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    commits.add(Map.copyOf(offsets));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
