package io.postroom.api.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Requests per second per API key: a token bucket per key holding at most one second's worth, so a
 * key may burst to its rate and no further. Memory is bounded: buckets of the least recently seen
 * keys are dropped beyond {@code maxKeys} (a dropped key simply starts full again). Event-loop
 * confined.
 */
public final class KeyRateLimiter {
  private final double perSecond;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets;

  private static final class Bucket {
    double tokens;
    long updated;
  }

  public KeyRateLimiter(double perSecond, int maxKeys, LongSupplier nanoTime) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("perSecond must be positive");
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /** Takes a permit for {@code key}; empty if granted, else how long until one is free. */
  public Optional<Duration> take(String key) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(key, k -> {
      Bucket fresh = new Bucket();
      fresh.tokens = Math.max(1, perSecond);
      fresh.updated = now;
      return fresh;
    });
    double capacity = Math.max(1, perSecond);
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) / 1e9 * perSecond);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9)));
  }
}
