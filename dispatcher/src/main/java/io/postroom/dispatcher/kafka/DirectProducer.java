package io.postroom.dispatcher.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Kafka's own producer, used from one Vert.x context without a thread hand-off per record.
 * vertx-kafka-client's producer moves every {@code send} to a worker thread and every
 * acknowledgement back through two more tasks; at thousands of status events a second that was a
 * large part of the event loop's work. Here:
 *
 * <ul>
 *   <li>{@code send} is called on the event loop. It never blocks: {@code max.block.ms} is 0 and the
 *       topics' metadata is fetched before the first send ({@link #create}); a record whose topic
 *       metadata is missing all the same fails at once with a retriable error, and the caller tries
 *       again (the failure asked for the metadata);
 *   <li>acknowledgements arrive on the producer's I/O thread, are queued, and are completed on the
 *       context in one task per burst, not one per record.
 * </ul>
 */
final class DirectProducer {
  private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

  private final Context context;
  private final KafkaProducer<String, byte[]> producer;
  private final ConcurrentLinkedQueue<Acknowledgement> acknowledged = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  private record Acknowledgement(Promise<Void> promise, Exception error) {
  }

  private DirectProducer(Context context, KafkaProducer<String, byte[]> producer) {
    this.context = context;
    this.producer = producer;
  }

  /**
   * Creates the producer on a worker thread and waits there (bounded) until it knows the partitions
   * of {@code topics}; the returned producer belongs to the calling context.
   */
  static Future<DirectProducer> create(Vertx vertx, Map<String, String> properties, List<String> topics) {
    Context context = vertx.getOrCreateContext();
    Map<String, Object> props = new HashMap<>(properties);
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    props.put("max.block.ms", "0");
    // topics written to rarely (dead letters, retry tiers) keep their metadata, so a send rarely meets none
    props.putIfAbsent("metadata.max.idle.ms", Long.toString(Duration.ofDays(1).toMillis()));
    return vertx.executeBlocking(() -> {
      KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props);
      try {
        for (String topic : topics) {
          awaitMetadata(producer, topic);
        }
      } catch (RuntimeException | InterruptedException e) {
        producer.close(Duration.ZERO);
        throw e;
      }
      return new DirectProducer(context, producer);
    });
  }

  /** With max.block.ms 0, partitionsFor only asks for the metadata; ask until it is there. */
  private static void awaitMetadata(KafkaProducer<String, byte[]> producer, String topic) throws InterruptedException {
    long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
    while (true) {
      try {
        producer.partitionsFor(topic);
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no metadata for topic " + topic + " within " + METADATA_WAIT.toSeconds() + " s");
        }
        Thread.sleep(20);
      }
    }
  }

  /**
   * {@code wanted} modulo the topic's partition count, from the metadata at hand; null (the key
   * decides) while the producer has none for the topic.
   */
  Integer partition(String topic, int wanted) {
    try {
      int count = producer.partitionsFor(topic).size();
      return count == 0 ? null : Math.floorMod(wanted, count);
    } catch (KafkaException e) {
      return null;
    }
  }

  /** Succeeds on this producer's context once the broker acknowledged the record (acks=all). */
  Future<Void> send(ProducerRecord<String, byte[]> record) {
    Promise<Void> promise = Promise.promise();
    try {
      producer.send(record, (metadata, error) -> {
        acknowledged.add(new Acknowledgement(promise, error));
        if (drainScheduled.compareAndSet(false, true)) {
          context.runOnContext(v -> drain());
        }
      });
    } catch (RuntimeException e) {
      promise.fail(e);
    }
    return promise.future();
  }

  private void drain() {
    // cleared before draining: an acknowledgement queued after the last poll schedules its own drain
    drainScheduled.set(false);
    Acknowledgement ack;
    while ((ack = acknowledged.poll()) != null) {
      if (ack.error() == null) {
        ack.promise().complete();
      } else {
        ack.promise().fail(ack.error());
      }
    }
  }

  Future<Void> flush() {
    return context.owner().executeBlocking(() -> {
      producer.flush();
      return null;
    });
  }

  Future<Void> close() {
    return context.owner().executeBlocking(() -> {
      producer.close(Duration.ofSeconds(10));
      return null;
    });
  }
}
