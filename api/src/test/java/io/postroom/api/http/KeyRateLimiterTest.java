package io.postroom.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRateLimiterTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private KeyRateLimiter limiter(double perSecond, int maxKeys) {
    return new KeyRateLimiter(perSecond, maxKeys, now::get);
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  private static void burst(KeyRateLimiter limiter, String key, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(limiter.take(key)).as("request %d of %s", i + 1, key).isEmpty();
    }
  }

  @Test
  void aKeyMayBurstToItsRate() {
    KeyRateLimiter limiter = limiter(5, 10);

    burst(limiter, "k", 5);
  }

  @Test
  void theRequestAfterABurstIsRefusedWithTheWaitUntilATokenIsFree() {
    KeyRateLimiter limiter = limiter(4, 10);
    burst(limiter, "k", 4);

    assertThat(limiter.take("k")).contains(Duration.ofMillis(250));
  }

  @Test
  void theWaitShrinksAsTimePasses() {
    KeyRateLimiter limiter = limiter(4, 10);
    burst(limiter, "k", 4);
    advance(Duration.ofMillis(125));

    assertThat(limiter.take("k")).contains(Duration.ofMillis(125));
  }

  @Test
  void aRefusedRequestDoesNotUseUpATokenOrDelayTheNext() {
    KeyRateLimiter limiter = limiter(4, 10);
    burst(limiter, "k", 4);
    limiter.take("k");
    limiter.take("k");
    advance(Duration.ofMillis(250));

    assertThat(limiter.take("k")).isEmpty();
  }

  @Test
  void aRequestIsGrantedAgainOnceATokenIsFree() {
    KeyRateLimiter limiter = limiter(4, 10);
    burst(limiter, "k", 4);
    advance(Duration.ofMillis(250));

    assertThat(limiter.take("k")).isEmpty();
    assertThat(limiter.take("k")).isPresent();
  }

  @Test
  void theBucketRefillsToTheRateAndNoFurther() {
    KeyRateLimiter limiter = limiter(5, 10);
    burst(limiter, "k", 5);
    advance(Duration.ofMinutes(10));

    burst(limiter, "k", 5);
    assertThat(limiter.take("k")).isPresent();
  }

  @Test
  void keysAreLimitedIndependently() {
    KeyRateLimiter limiter = limiter(3, 10);
    burst(limiter, "a", 3);
    assertThat(limiter.take("a")).isPresent();

    burst(limiter, "b", 3);
  }

  @Test
  void beyondMaxKeysTheLeastRecentlyUsedKeyIsForgottenAndStartsFullAgain() {
    KeyRateLimiter limiter = limiter(2, 2);
    burst(limiter, "a", 2);
    burst(limiter, "b", 2);
    assertThat(limiter.take("a")).isPresent(); // a is now the most recently used, b the least
    burst(limiter, "c", 1); // a third key: b is forgotten

    burst(limiter, "b", 2);
  }

  @Test
  void aRecentlyUsedKeyIsKeptWhenAnotherIsForgotten() {
    KeyRateLimiter limiter = limiter(2, 2);
    burst(limiter, "a", 2);
    burst(limiter, "b", 2);
    assertThat(limiter.take("a")).isPresent();
    burst(limiter, "c", 1);

    assertThat(limiter.take("a")).isPresent();
  }

  @Test
  void aRateBelowOnePerSecondStillAllowsOneRequest() {
    KeyRateLimiter limiter = limiter(0.5, 10);

    assertThat(limiter.take("k")).isEmpty();
    assertThat(limiter.take("k")).contains(Duration.ofSeconds(2));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, Double.NaN})
  void aRateThatIsNotPositiveIsRejected(double perSecond) {
    assertThatThrownBy(() -> new KeyRateLimiter(perSecond, 10, now::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("perSecond");
  }
}
