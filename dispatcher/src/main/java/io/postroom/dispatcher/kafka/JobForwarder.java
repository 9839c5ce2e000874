package io.postroom.dispatcher.kafka;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.util.List;

/**
 * Writes a job's next record on one of the dispatcher's own topics (a retry tier, a lane topic):
 * not an outcome, a copy of the job that waits there. {@link KafkaJobForwarder} writes to Kafka.
 */
public interface JobForwarder {

  /**
   * The copy, with the headers of its {@link Journey}, in partition {@code partition} (modulo the
   * topic's partitions); the future succeeds once the copy is durable.
   */
  Future<Void> forward(String topic, int partition, String key, Buffer value, List<KafkaHeader> headers);
}
