package io.postroom.dispatcher.retry;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a job whose send failed transiently (a 4xx to MAIL, RCPT or DATA) is tried again: up to
 * {@code maxAttempts} tries in all, with exponential backoff and jitter between them. Relay-level
 * failures are not the job's fault and are never counted here.
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

  /** The pause before the next try, or empty when {@code attemptsMade} used them all up. */
  public Optional<Duration> next(int attemptsMade, RandomGenerator random) {
    if (attemptsMade >= maxAttempts) {
      return Optional.empty();
    }
    return Optional.of(backoff.delay(attemptsMade, random));
  }
}
