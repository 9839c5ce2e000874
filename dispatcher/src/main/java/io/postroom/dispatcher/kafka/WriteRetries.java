package io.postroom.dispatcher.kafka;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record until Kafka has it durably: a write that fails is tried again (with a growing
 * pause) rather than given up, because losing a job's outcome or copy is worse than waiting for the
 * broker. Two failures are not retried: a record too large for the producer (the caller decides),
 * and a refusal no retry mends (credentials, rights, a fenced producer), which ends the process.
 * Shared by the {@link OutcomePublisher} and the {@link KafkaJobForwarder}, so that while Kafka is
 * away one warning per interval says so for both, not one per job.
 *
 * <p>Event-loop confined.
 */
final class WriteRetries {
  private static final Logger LOG = LoggerFactory.getLogger(WriteRetries.class);
  private static final long MAX_RETRY_PAUSE_MS = 10_000;
  private static final long WARN_INTERVAL_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final Consumer<String> fatal;
  private long lastWarned = System.nanoTime() - WARN_INTERVAL_NANOS;
  private int unwarned;
  private volatile boolean closed;

  /**
   * @param fatal told, with the reason, when a write fails in a way no retry can mend (credentials,
   *     rights, a fenced producer): the process must end rather than retry forever
   */
  WriteRetries(Vertx vertx, Consumer<String> fatal) {
    this.vertx = vertx;
    this.fatal = fatal;
  }

  /** Succeeds once the record is durable; fails only when closed, for a record too large, or fatally. */
  Future<Void> durably(DirectProducer producer, ProducerRecord<String, byte[]> record) {
    Promise<Void> promise = Promise.promise();
    attempt(producer, record, promise, 0);
    return promise.future();
  }

  private void attempt(DirectProducer producer, ProducerRecord<String, byte[]> record, Promise<Void> promise,
      int failures) {
    producer.send(record).onComplete(
        ok -> promise.complete(),
        error -> {
          if (closed || error instanceof RecordTooLargeException) {
            promise.fail(error);
            return;
          }
          if (isFatal(error)) {
            fatal.accept("Kafka refuses the dispatcher's writes to " + record.topic() + " for good ("
                + error.getMessage() + "); check the dispatcher's Kafka credentials and rights (kafka.properties,"
                + " ACLs on " + record.topic() + ")");
            promise.fail(error);
            return;
          }
          long pause = Math.min(MAX_RETRY_PAUSE_MS, 250L << Math.min(failures, 6));
          long now = System.nanoTime();
          if (failures == 0 && error instanceof TimeoutException) {
            // most often a topic's metadata that had to be fetched again: the failed send asked for it
            LOG.debug("could not write to {} ({}); trying again in {} ms", record.topic(), error.getMessage(), pause);
          } else if (now - lastWarned >= WARN_INTERVAL_NANOS) {
            LOG.warn("could not write to {} ({}); trying again in {} ms{}", record.topic(), error.getMessage(), pause,
                unwarned == 0 ? "" : " (and " + unwarned + " more failed writes since the last warning)");
            lastWarned = now;
            unwarned = 0;
          } else {
            unwarned++;
          }
          vertx.setTimer(pause, id -> attempt(producer, record, promise, failures + 1));
        });
  }

  /** Failures no retry mends: the producer is fenced, or Kafka refuses who we are or what we write. */
  static boolean isFatal(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof AuthenticationException || e instanceof AuthorizationException
          || e instanceof ProducerFencedException || e instanceof UnsupportedVersionException
          || e instanceof InvalidTopicException) {
        return true;
      }
    }
    return false;
  }

  /** From now on a failed write fails its future instead of being tried again. */
  void close() {
    closed = true;
  }
}
