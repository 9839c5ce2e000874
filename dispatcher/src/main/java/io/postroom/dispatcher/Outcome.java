package io.postroom.dispatcher;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Job;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.dispatcher.relay.SendFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What became of a job (or of one of its attempts, for RETRYING), before it is published.
 * {@code retryAfter} is set for RETRYING only: the pause before the next attempt.
 */
public record Outcome(
    State state,
    int attempts,
    String relay,
    Integer smtpCode,
    String enhancedCode,
    String reply,
    List<String> rejectedRecipients,
    String error,
    ErrorCode errorCode,
    Duration retryAfter) implements AttemptResult {

  public Outcome {
    rejectedRecipients = rejectedRecipients == null ? List.of() : List.copyOf(rejectedRecipients);
  }

  static Outcome sent(int attempts, String relay, List<String> rejectedRecipients) {
    // vertx-mail-client does not hand back the relay's final reply text, only that it was 2xx
    return new Outcome(State.SENT, attempts, relay, 250, null, null, rejectedRecipients, null, null, null);
  }

  static Outcome failed(int attempts, String relay, SendFailure failure) {
    return new Outcome(State.FAILED, attempts, relay, failure.smtpCode(), failure.enhancedCode(), failure.reply(),
        List.of(), failure.reason(), ErrorCode.RELAY_REJECTED, null);
  }

  static Outcome retrying(int attempts, String relay, SendFailure failure, Duration retryAfter) {
    return new Outcome(State.RETRYING, attempts, relay, failure.smtpCode(), failure.enhancedCode(), failure.reply(),
        List.of(), failure.reason(), null, retryAfter);
  }

  static Outcome exhausted(int attempts, String relay, SendFailure failure) {
    return new Outcome(State.FAILED, attempts, relay, failure.smtpCode(), failure.enhancedCode(), failure.reply(),
        List.of(), "gave up after " + attempts + " attempts; last: " + failure.reason(), ErrorCode.RETRIES_EXHAUSTED, null);
  }

  static Outcome expired(int attempts, Instant expiresAt) {
    return new Outcome(State.EXPIRED, attempts, null, null, null, null, List.of(),
        "not sent before its expiry " + expiresAt, ErrorCode.EXPIRED, null);
  }

  static Outcome duplicate() {
    return new Outcome(State.DUPLICATE, 0, null, null, null, null, List.of(),
        "a job with this id was already sent by this dispatcher", null, null);
  }

  /** Outcomes that also put the job into the dead-letter topic, so it can be re-driven. */
  boolean deadLettered() {
    return errorCode == ErrorCode.RETRIES_EXHAUSTED || errorCode == ErrorCode.EXPIRED;
  }

  StatusEvent toEvent(Job job, String messageId, Instant at) {
    return new StatusEvent(job.id(), job.tenant(), state, attempts, messageId, relay, smtpCode, enhancedCode, reply,
        rejectedRecipients, error, errorCode, at, job.bulkId(), job.key());
  }
}
