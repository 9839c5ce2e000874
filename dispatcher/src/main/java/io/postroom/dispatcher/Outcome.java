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
 * What became of a job (or of one of its attempts, for RETRYING), before it is published: the
 * status event it becomes, not yet about a job (no id, tenant, Message-ID or time: {@link #toEvent}
 * adds them). {@code retryAfter} is set for RETRYING only: the pause before the next attempt.
 */
public record Outcome(StatusEvent event, Duration retryAfter) implements AttemptResult {

  static Outcome sent(int attempts, String relay, List<String> rejectedRecipients) {
    // vertx-mail-client does not hand back the relay's final reply text, only that it was 2xx
    return new Outcome(new StatusEvent(null, null, State.SENT, attempts, null, relay, 250, null, null,
        rejectedRecipients, null, null, null), null);
  }

  static Outcome failed(int attempts, String relay, SendFailure failure) {
    return new Outcome(answered(State.FAILED, attempts, relay, failure, failure.reason(), ErrorCode.RELAY_REJECTED),
        null);
  }

  static Outcome retrying(int attempts, String relay, SendFailure failure, Duration retryAfter) {
    return new Outcome(answered(State.RETRYING, attempts, relay, failure, failure.reason(), null), retryAfter);
  }

  static Outcome exhausted(int attempts, String relay, SendFailure failure) {
    return new Outcome(answered(State.FAILED, attempts, relay, failure,
        "gave up after " + attempts + " attempts; last: " + failure.reason(), ErrorCode.RETRIES_EXHAUSTED), null);
  }

  static Outcome expired(int attempts, Instant expiresAt) {
    return new Outcome(new StatusEvent(null, null, State.EXPIRED, attempts, null, null, null, null, null, List.of(),
        "not sent before its expiry " + expiresAt, ErrorCode.EXPIRED, null), null);
  }

  static Outcome duplicate() {
    return new Outcome(new StatusEvent(null, null, State.DUPLICATE, 0, null, null, null, null, null, List.of(),
        "a job with this id was already sent by this dispatcher", null, null), null);
  }

  /** Before it was handed to the relay, its bulk send was cancelled. */
  public static Outcome cancelled() {
    return new Outcome(new StatusEvent(null, null, State.CANCELLED, 0, null, null, null, null, null, List.of(),
        "its bulk send was cancelled before it was handed to the relay", null, null), null);
  }

  /** Every recipient is on the tenant's suppression list: nothing was sent. */
  static Outcome suppressed(List<String> recipients) {
    return new Outcome(new StatusEvent(null, null, State.SUPPRESSED, 0, null, null, null, null, null, List.of(),
        "every recipient is on the tenant's suppression list", null, null).withSuppressed(recipients), null);
  }

  /** The same outcome, naming the recipients left out of the send because they are suppressed. */
  Outcome withSuppressed(List<String> recipients) {
    return recipients.isEmpty() ? this : new Outcome(event.withSuppressed(recipients), retryAfter);
  }

  /** An outcome the relay answered: its codes and reply. */
  private static StatusEvent answered(State state, int attempts, String relay, SendFailure failure, String error,
      ErrorCode code) {
    return new StatusEvent(null, null, state, attempts, null, relay, failure.smtpCode(), failure.enhancedCode(),
        failure.reply(), List.of(), error, code, null);
  }

  State state() {
    return event.state();
  }

  int attempts() {
    return event.attempt();
  }

  String error() {
    return event.error();
  }

  ErrorCode errorCode() {
    return event.errorCode();
  }

  /** Outcomes that also put the job into the dead-letter topic, so it can be re-driven. */
  boolean deadLettered() {
    return errorCode() == ErrorCode.RETRIES_EXHAUSTED || errorCode() == ErrorCode.EXPIRED;
  }

  StatusEvent toEvent(Job job, String messageId, Instant at) {
    return event.about(job.id(), job.tenant(), messageId, at, job.bulkId(), job.key());
  }
}
