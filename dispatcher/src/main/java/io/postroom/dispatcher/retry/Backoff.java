package io.postroom.dispatcher.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": the n-th pause is {@code initial * multiplier^(n-1)},
 * capped at {@code max}, of which the first half is fixed and the second half random. The fixed half
 * keeps a struggling relay from being hit again at once; the random half keeps many jobs (or many
 * dispatchers) that failed together from coming back together.
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

  public Backoff {
    if (initial.toMillis() < 1) {
      throw new IllegalArgumentException("initial must be at least 1 ms");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max must not be smaller than initial");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number of at least 1");
    }
  }

  /** The cap before jitter for the {@code n}-th pause (n counts from 1). */
  public Duration ceiling(int n) {
    double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, n - 1));
    return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
  }

  /** The {@code n}-th pause (n counts from 1): between half the ceiling and the ceiling. */
  public Duration delay(int n, RandomGenerator random) {
    long ceiling = ceiling(n).toMillis();
    long half = ceiling / 2;
    return Duration.ofMillis(half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
  }
}
