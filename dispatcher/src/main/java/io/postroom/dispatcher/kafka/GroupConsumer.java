package io.postroom.dispatcher.kafka;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The few operations of a Kafka consumer in a group that the job consumer uses, named as Vert.x's
 * {@code KafkaConsumer} names them: {@link KafkaGroupConsumer} is that consumer, and the job
 * consumer's tests drive a fake. Handlers are called on the context the consumer was made on.
 */
public interface GroupConsumer {

  /** Each poll's records, in one call. */
  void batchHandler(Handler<KafkaConsumerRecords<String, Buffer>> handler);

  void partitionsAssignedHandler(Handler<Set<TopicPartition>> handler);

  void partitionsRevokedHandler(Handler<Set<TopicPartition>> handler);

  Future<Void> subscribe(Set<String> topics);

  Future<List<PartitionInfo>> partitionsFor(String topic);

  Future<Void> pause(Set<TopicPartition> partitions);

  Future<Void> resume(Set<TopicPartition> partitions);

  Future<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets);

  Future<Void> close();
}
