package io.postroom.dispatcher.kafka;

import io.postroom.contract.config.KafkaSection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Copies of waiting jobs, through a producer of their own with one request in flight per
 * connection. The topics they go to are often created moments before; the first write to a new
 * partition can meet a broker not yet its leader, and kafka-clients 3.7 then retried an idempotent
 * producer's later batches forever with OUT_OF_ORDER_SEQUENCE_NUMBER (seen in our tests). With one
 * request in flight, batches cannot overtake each other; status events, written by the
 * {@link OutcomePublisher}'s producer, are not held up by it.
 */
public final class KafkaJobForwarder implements JobForwarder {
  private final Vertx vertx;
  private final KafkaSection config;
  private final WriteRetries retries;
  private DirectProducer producer;

  KafkaJobForwarder(Vertx vertx, KafkaSection config, WriteRetries retries) {
    this.vertx = vertx;
    this.config = config;
    this.retries = retries;
  }

  /**
   * Creates the producer and fetches the metadata of every topic it writes to, so that no write
   * waits for it (see {@link DirectProducer}).
   *
   * @param waitTopics the retry tiers and lane topics jobs are moved to
   */
  Future<Void> start(List<String> waitTopics) {
    Map<String, String> props = OutcomePublisher.producerProperties(config, "moves");
    props.put("max.in.flight.requests.per.connection", "1");
    return DirectProducer.create(vertx, props, waitTopics).onSuccess(created -> producer = created).mapEmpty();
  }

  @Override
  public Future<Void> forward(String topic, int partition, String key, Buffer value, List<KafkaHeader> headers) {
    RecordHeaders copied = new RecordHeaders();
    headers.forEach(header -> copied.add(header.key(), header.value().getBytes()));
    return retries.durably(producer, new ProducerRecord<>(topic, producer.partition(topic, partition), key,
        value.getBytes(), copied));
  }

  Future<Void> close() {
    return producer == null ? Future.succeededFuture() : producer.flush().eventually(producer::close);
  }
}
