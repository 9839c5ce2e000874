package io.postroom.dispatcher.ratelimit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/**
 * A number of messages per second. Limits, shares and adaptive rates are all expressed in it, so
 * that a rate is never confused with a count, a period or a factor, and an impossible rate (zero,
 * negative, infinite, not a number) is caught where it is made rather than where it divides by zero.
 */
public record MessageRate(double perSecond) implements Comparable<MessageRate> {

  private static final long SHORTEST_INTERVAL_NANOS = 1_000;
  private static final MathContext SHOWN_DIGITS = new MathContext(6);

  public MessageRate {
    // written this way round so that NaN fails too: NaN > 0 is false
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException(
          "a message rate must be a finite number of messages per second above 0, was " + perSecond);
    }
  }

  public static MessageRate perSecond(double perSecond) {
    return new MessageRate(perSecond);
  }

  /** This rate multiplied by {@code factor}; the result must still be a valid rate. */
  public MessageRate times(double factor) {
    return new MessageRate(perSecond * factor);
  }

  /** This rate raised by {@code perSecond} messages per second (lowered if negative). */
  public MessageRate plus(double perSecond) {
    return new MessageRate(this.perSecond + perSecond);
  }

  public MessageRate min(MessageRate other) {
    return compareTo(other) <= 0 ? this : other;
  }

  public MessageRate max(MessageRate other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /**
   * The time between two messages. At least 1 µs, because a timer or limiter cannot pace finer than
   * that; for a rate so low that the interval does not fit in a long, about 292 years.
   */
  public Duration interval() {
    double nanos = 1_000_000_000d / perSecond;
    return Duration.ofNanos(Math.max(SHORTEST_INTERVAL_NANOS, Math.round(nanos)));
  }

  @Override
  public int compareTo(MessageRate other) {
    return Double.compare(perSecond, other.perSecond);
  }

  /** "12.5/s", "20/s", "0.333333/s": six significant digits, no exponent, no locale. */
  @Override
  public String toString() {
    return new BigDecimal(perSecond).round(SHOWN_DIGITS).stripTrailingZeros().toPlainString() + "/s";
  }
}
