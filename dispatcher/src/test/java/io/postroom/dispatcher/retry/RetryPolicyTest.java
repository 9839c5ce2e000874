package io.postroom.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Duration INITIAL = Duration.ofSeconds(10);
  private static final Duration MAX = Duration.ofMinutes(5);

  private final RetryPolicy policy = new RetryPolicy(5, new Backoff(INITIAL, MAX, 2.0));
  private final Random random = new Random(2024);

  @Test
  void afterTheFirstAttemptThePauseIsAboutTheInitialBackoff() {
    assertThat(policy.next(1, random)).hasValueSatisfying(pause ->
        assertThat(pause).isBetween(Duration.ofSeconds(5), INITIAL));
  }

  @Test
  void thePauseGrowsWithTheAttemptsMade() {
    assertThat(policy.next(3, random)).hasValueSatisfying(pause ->
        assertThat(pause).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40)));
  }

  @Test
  void theAttemptBeforeTheLastIsStillFollowedByAPause() {
    assertThat(policy.next(4, random)).isPresent();
  }

  @Test
  void noPauseIsGivenOnceEveryAttemptIsUsed() {
    assertThat(policy.next(5, random)).isEmpty();
  }

  @Test
  void noPauseIsGivenForMoreAttemptsThanAllowed() {
    assertThat(policy.next(6, random)).isEmpty();
  }

  @Test
  void aPolicyOfOneAttemptNeverRetries() {
    RetryPolicy once = new RetryPolicy(1, new Backoff(INITIAL, MAX, 2.0));

    assertThat(once.next(1, random)).isEmpty();
  }

  @Test
  void thePauseNeverExceedsTheBackoffsMax() {
    RetryPolicy many = new RetryPolicy(100, new Backoff(INITIAL, MAX, 2.0));

    for (int attemptsMade = 1; attemptsMade < 100; attemptsMade++) {
      assertThat(many.next(attemptsMade, random)).hasValueSatisfying(pause ->
          assertThat(pause).isLessThanOrEqualTo(MAX));
    }
  }

  @Test
  void thePauseIsTheBackoffsDelayForTheAttemptsMade() {
    Backoff backoff = new Backoff(INITIAL, MAX, 2.0);
    RetryPolicy withSameBackoff = new RetryPolicy(5, backoff);

    assertThat(withSameBackoff.next(2, new Random(5))).contains(backoff.delay(2, new Random(5)));
  }
}
