package io.postroom.dispatcher.redrive;

import io.postroom.contract.config.KafkaSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes dead letters back to the jobs topic with one idempotent producer, {@code acks=all}:
 * a letter counts as re-driven only once Kafka has acknowledged its copy. Blocking; for the
 * command line only.
 */
final class JobRepublisher implements AutoCloseable {
  private final String jobsTopic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Pending> pending = new ArrayList<>();

  private record Pending(String code, Future<RecordMetadata> acknowledgement) {
  }

  JobRepublisher(KafkaSection kafka) {
    this.jobsTopic = kafka.jobsTopic();
    this.producer = new KafkaProducer<>(producerProperties(kafka), new ByteArraySerializer(), new ByteArraySerializer());
  }

  static Map<String, Object> producerProperties(KafkaSection kafka) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties("redrive"));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    return props;
  }

  /** Sends the letter's job record; its acknowledgement is awaited by {@link #awaitAcknowledgements}. */
  void publish(DeadLetter letter) {
    Future<RecordMetadata> acknowledgement;
    try {
      acknowledgement = producer.send(letter.redriveTo(jobsTopic));
    } catch (KafkaException e) {
      // most send failures arrive in the future; the few thrown here are counted the same way
      acknowledgement = CompletableFuture.failedFuture(e);
    }
    pending.add(new Pending(letter.code(), acknowledgement));
  }

  /**
   * Waits for every record sent so far and counts the acknowledged ones in {@code report}; throws
   * after counting when any was not acknowledged, saying how many were.
   */
  void awaitAcknowledgements(RedriveReport report) {
    producer.flush();
    int acknowledged = 0;
    Throwable firstFailure = null;
    for (Pending sent : pending) {
      try {
        sent.acknowledgement().get();
        report.redriven(sent.code());
        acknowledged++;
      } catch (ExecutionException e) {
        firstFailure = firstFailure == null ? e.getCause() : firstFailure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while waiting for " + jobsTopic + " to acknowledge the re-driven jobs", e);
      }
    }
    int sent = pending.size();
    pending.clear();
    if (firstFailure != null) {
      throw new KafkaException("publishing to " + jobsTopic + " failed: " + acknowledged + " of " + sent
          + " re-driven jobs were acknowledged; the first failure: " + firstFailure.getMessage(), firstFailure);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
