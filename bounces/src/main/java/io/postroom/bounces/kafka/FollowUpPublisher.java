package io.postroom.bounces.kafka;

import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.DurableWrites;
import io.postroom.contract.kafka.HeaderNames;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes the reader's records: follow-up events to {@code mail.status} keyed by the job id, with the
 * {@link HeaderNames#STATE} header every status reader relies on (no {@link HeaderNames#SOURCE}: a
 * follow-up comes from a report, not from a job record), and suppressions to {@code
 * mail.suppressions} keyed by {@link Suppression#key()}. Durable ({@link DurableWrites}: acks=all,
 * idempotent); {@link #publish} returns only once every record of the batch is acknowledged.
 * Blocking: the reader's thread only.
 */
public final class FollowUpPublisher implements AutoCloseable {
  private final Producer<String, Buffer> producer;
  private final String statusTopic;
  private final String suppressionsTopic;
  private final Duration timeout;

  public FollowUpPublisher(Producer<String, Buffer> producer, String statusTopic, String suppressionsTopic,
      Duration timeout) {
    this.producer = producer;
    this.statusTopic = statusTopic;
    this.suppressionsTopic = suppressionsTopic;
    this.timeout = timeout;
  }

  public static FollowUpPublisher create(KafkaSection kafka) {
    return new FollowUpPublisher(new KafkaProducer<>(new java.util.HashMap<String, Object>(
        DurableWrites.producerProperties(kafka.clientProperties("producer")))), kafka.statusTopic(),
        kafka.suppressionsTopic(), kafka.outageTolerance());
  }

  /** Every record of a batch, acknowledged by every in-sync replica; throws when any one is not. */
  public void publish(List<StatusEvent> events, List<Suppression> suppressions) throws PublishException {
    List<Future<RecordMetadata>> sends = new ArrayList<>(events.size() + suppressions.size());
    for (StatusEvent event : events) {
      sends.add(producer.send(new ProducerRecord<>(statusTopic, null, event.id(), event.toJson().toBuffer(),
          new RecordHeaders().add(HeaderNames.STATE, event.state().name().getBytes(StandardCharsets.UTF_8)))));
    }
    for (Suppression suppression : suppressions) {
      sends.add(producer.send(new ProducerRecord<>(suppressionsTopic, suppression.key(),
          suppression.toJson().toBuffer())));
    }
    producer.flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new PublishException("Kafka refused a record: " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        throw new PublishException("Kafka did not acknowledge the records within " + timeout.toSeconds()
            + " s (kafka.outageTolerance)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishException("interrupted while waiting for Kafka", e);
      }
    }
  }

  /** The batch is not durable: nothing of it may be moved out of the mailbox. */
  public static final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
