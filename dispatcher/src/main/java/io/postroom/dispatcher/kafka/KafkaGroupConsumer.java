package io.postroom.dispatcher.kafka;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link GroupConsumer} that is Vert.x's Kafka consumer. */
public final class KafkaGroupConsumer implements GroupConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaGroupConsumer.class);
  /**
   * vertx-kafka-client runs pause, resume and commit on the one thread that also blocks in
   * {@code poll}: with its default of 1 s, every resume after backpressure waited up to a second
   * while all partitions were paused, which capped throughput far below what the relay takes.
   */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

  private final KafkaConsumer<String, Buffer> consumer;

  private KafkaGroupConsumer(KafkaConsumer<String, Buffer> consumer) {
    this.consumer = consumer;
  }

  /** A consumer made on the calling context; it joins the group when it subscribes. */
  public static KafkaGroupConsumer create(Vertx vertx, Map<String, String> properties) {
    KafkaConsumer<String, Buffer> consumer = KafkaConsumer.create(vertx, properties);
    consumer.pollTimeout(POLL_TIMEOUT);
    consumer.exceptionHandler(e -> LOG.warn("Kafka consumer: {}", e.getMessage()));
    return new KafkaGroupConsumer(consumer);
  }

  @Override
  public void batchHandler(Handler<KafkaConsumerRecords<String, Buffer>> handler) {
    consumer.batchHandler(handler);
  }

  @Override
  public void partitionsAssignedHandler(Handler<Set<TopicPartition>> handler) {
    consumer.partitionsAssignedHandler(handler);
  }

  @Override
  public void partitionsRevokedHandler(Handler<Set<TopicPartition>> handler) {
    consumer.partitionsRevokedHandler(handler);
  }

  @Override
  public Future<Void> subscribe(Set<String> topics) {
    return consumer.subscribe(topics);
  }

  @Override
  public Future<List<PartitionInfo>> partitionsFor(String topic) {
    return consumer.partitionsFor(topic);
  }

  @Override
  public Future<Void> pause(Set<TopicPartition> partitions) {
    return consumer.pause(partitions);
  }

  @Override
  public Future<Void> resume(Set<TopicPartition> partitions) {
    return consumer.resume(partitions);
  }

  @Override
  public Future<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    return consumer.commit(offsets).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return consumer.close();
  }
}
