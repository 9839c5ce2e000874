package io.postroom.dispatcher.kafka;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.StatusEvent;
import io.vertx.core.Future;

/**
 * Where what became of each job is written: its status events and, for a record that cannot be
 * sent, its dead letter. A returned future succeeds only once the write is durable; only then may
 * the job's offset be committed. {@link OutcomePublisher} writes to Kafka.
 */
public interface OutcomeWriter {

  /** The event of the job read from {@code source}. */
  Future<Void> status(StatusEvent event, SourceRecord source);

  /** The record's original bytes with the reason; {@code jobId} is null when it could not be read. */
  Future<Void> deadLetter(SourceRecord source, String jobId, ErrorCode code, String reason);
}
