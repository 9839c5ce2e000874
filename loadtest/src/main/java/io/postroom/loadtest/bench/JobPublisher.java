package io.postroom.loadtest.bench;

import io.postroom.loadtest.baseline.BenchMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes the bench's jobs ({@link BenchMessage#job}, so with the attachment of a large message)
 * as {@code bin/postroom load} does: one idempotent producer, acks=all, lz4, as fast as the broker
 * takes them. Job {@code i} has the id {@code runId-i}, which the status tally reads back.
 */
final class JobPublisher implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final int size;
  private final int tenants;

  JobPublisher(String bootstrap, String topic, int size, int tenants) {
    this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
        "enable.idempotence", "true", "linger.ms", "10", "batch.size", "262144", "compression.type", "lz4",
        "max.request.size", Integer.toString(16 * 1024 * 1024), "client.id", "postroom-bench-jobs"),
        new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.size = size;
    this.tenants = tenants;
  }

  /** Publishes jobs {@code from} to {@code to - 1} of {@code runId} and waits until Kafka has them all. */
  void publish(String runId, int from, int to, IntConsumer sending) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (int i = from; i < to && failure.get() == null; i++) {
      BenchMessage message = new BenchMessage(runId, i, size);
      sending.accept(i);
      send(message.jobId(), message.job(tenants).encode(), failure);
    }
    flush(failure);
  }

  /**
   * Publishes recipients {@code from} to {@code to - 1} of {@code runId} as bulk records
   * ({@link BenchBulk}), cut at every multiple of {@value BenchBulk#CHUNK}, and waits until Kafka has
   * them all.
   */
  void publishBulk(String runId, int from, int to, IntConsumer sending) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    BenchBulk bulk = new BenchBulk(runId, size);
    for (int start = from; start < to && failure.get() == null; ) {
      int end = BenchBulk.recordEnd(start, to);
      for (int i = start; i < end; i++) {
        sending.accept(i);
      }
      send(bulk.recordKey(start), bulk.record(start, end, tenants).encode(), failure);
      start = end;
    }
    flush(failure);
  }

  private void send(String key, String value, AtomicReference<Exception> failure) {
    producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      }
    });
  }

  private void flush(AtomicReference<Exception> failure) {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("publishing stopped: " + failure.get().getMessage(), failure.get());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
