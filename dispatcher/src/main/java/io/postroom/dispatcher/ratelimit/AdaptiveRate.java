package io.postroom.dispatcher.ratelimit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The rate we send at while listening to the relay: additive increase, multiplicative decrease
 * (AIMD), as TCP does with its congestion window. When the relay says "slow down" (421, 450, 451,
 * 452, "too many") the rate drops by a factor at once; while sends succeed it creeps back up by a
 * fixed step per second. Dropping fast and climbing slowly settles just below what the relay will
 * take, without knowing that number in advance.
 *
 * <p>Two modes. {@link #limited} holds the rate between a floor and the configured limit, its
 * ceiling. {@link #unlimited} is for a relay without a configured limit: there is no rate until the
 * relay first pushes back; from then on it starts from the send rate the caller observed at that
 * moment, and once it has climbed back past twice that observed rate the limit is lifted again.
 *
 * <p>Pure logic: the caller passes the time in, from a monotonic clock (e.g. {@code System.nanoTime()
 * / 1_000_000}), so the behaviour is the same in tests and in production. Not thread-safe; it is
 * meant to be owned by one event loop.
 */
public final class AdaptiveRate {

  /** A throttle halves the rate, as TCP does. */
  public static final double DEFAULT_DECREASE_FACTOR = 0.5;

  /**
   * Many sends are in flight when the relay starts pushing back, and they all come back with the
   * same reply within moments of each other. Counting each of them would cut the rate to the floor
   * for what is one event, so after a decrease the next one waits this long.
   */
  public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(1);

  /** Without a limit, the climb back is 5% of the send rate observed at the first throttle. */
  public static final double DEFAULT_STEP_FRACTION = 0.05;

  private static final double DEFAULT_STEP_OF_CEILING = 1.0 / 20;
  private static final long INCREASE_PERIOD_MILLIS = 1_000;
  private static final double RELEASE_MULTIPLE = 2.0;
  private static final long NEVER = Long.MIN_VALUE;

  private final MessageRate ceiling; // null: no configured limit
  private final MessageRate floor;
  private final double decreaseFactor;
  private final double stepFraction; // only without a configured limit
  private final long coolDownMillis;

  private MessageRate rate; // null: no limit in effect
  private MessageRate step;
  private MessageRate releaseAbove; // only without a configured limit
  private long lastDecrease = NEVER;
  private long lastThrottle = NEVER;
  private long lastIncrease = NEVER;

  private AdaptiveRate(MessageRate ceiling, MessageRate floor, double decreaseFactor,
      MessageRate step, double stepFraction, Duration coolDown) {
    Objects.requireNonNull(floor, "floor");
    Objects.requireNonNull(coolDown, "coolDown");
    if (ceiling != null && floor.compareTo(ceiling) > 0) {
      throw new IllegalArgumentException(
          "floor (" + floor + ") must not be above the ceiling (" + ceiling + ")");
    }
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
      throw new IllegalArgumentException(
          "decreaseFactor must be above 0 and below 1, was " + decreaseFactor);
    }
    if (!(stepFraction > 0) || Double.isInfinite(stepFraction)) {
      throw new IllegalArgumentException(
          "stepFraction must be a finite number above 0, was " + stepFraction);
    }
    if (coolDown.isNegative()) {
      throw new IllegalArgumentException("coolDown must not be negative, was " + coolDown);
    }
    this.ceiling = ceiling;
    this.floor = floor;
    this.decreaseFactor = decreaseFactor;
    this.stepFraction = stepFraction;
    this.coolDownMillis = coolDown.toMillis();
    this.rate = ceiling;
    this.step = step;
  }

  /**
   * An adaptive rate under a configured limit, with the default decrease factor (0.5), step (a
   * twentieth of the ceiling) and cool-down (1 s).
   *
   * @param ceiling the configured limit: the rate to start at and never to exceed
   * @param floor the rate never to go below, however often the relay pushes back; at most the ceiling
   */
  public static AdaptiveRate limited(MessageRate ceiling, MessageRate floor) {
    Objects.requireNonNull(ceiling, "ceiling");
    return limited(ceiling, floor, DEFAULT_DECREASE_FACTOR, ceiling.times(DEFAULT_STEP_OF_CEILING),
        DEFAULT_COOL_DOWN);
  }

  /**
   * An adaptive rate under a configured limit.
   *
   * @param ceiling the configured limit: the rate to start at and never to exceed
   * @param floor the rate never to go below, however often the relay pushes back; at most the ceiling
   * @param decreaseFactor what a throttle multiplies the rate by; above 0 and below 1
   * @param step how much a second of success adds to the rate
   * @param coolDown how long after a decrease further throttles do not decrease again; not negative
   */
  public static AdaptiveRate limited(MessageRate ceiling, MessageRate floor, double decreaseFactor,
      MessageRate step, Duration coolDown) {
    Objects.requireNonNull(ceiling, "ceiling");
    Objects.requireNonNull(step, "step");
    return new AdaptiveRate(ceiling, floor, decreaseFactor, step, DEFAULT_STEP_FRACTION, coolDown);
  }

  /**
   * An adaptive rate without a configured limit, with the default decrease factor (0.5), step
   * fraction (5%) and cool-down (1 s).
   *
   * @param floor the rate never to go below once the relay has pushed back
   */
  public static AdaptiveRate unlimited(MessageRate floor) {
    return unlimited(floor, DEFAULT_DECREASE_FACTOR, DEFAULT_STEP_FRACTION, DEFAULT_COOL_DOWN);
  }

  /**
   * An adaptive rate without a configured limit.
   *
   * @param floor the rate never to go below once the relay has pushed back
   * @param decreaseFactor what a throttle multiplies the rate by (at the first throttle: the observed
   *     send rate); above 0 and below 1
   * @param stepFraction how much a second of success adds to the rate, as a fraction of the send rate
   *     observed at the first throttle; above 0
   * @param coolDown how long after a decrease further throttles do not decrease again; not negative
   */
  public static AdaptiveRate unlimited(MessageRate floor, double decreaseFactor,
      double stepFraction, Duration coolDown) {
    return new AdaptiveRate(null, floor, decreaseFactor, null, stepFraction, coolDown);
  }

  /** The rate to send at now; empty when there is no limit in effect. */
  public Optional<MessageRate> current() {
    return Optional.ofNullable(rate);
  }

  /**
   * The relay said slow down, while a limit is in effect.
   *
   * @param nowMillis the time of the reply, in milliseconds from a monotonic clock
   * @return whether the rate changed
   * @throws IllegalStateException when no limit is in effect: without one there is no rate to
   *     decrease, and the caller must pass the rate it observed with {@link #throttled(long,
   *     MessageRate)}
   */
  public boolean throttled(long nowMillis) {
    if (rate == null) {
      throw new IllegalStateException(
          "no limit is in effect, so there is no rate to decrease: pass the observed send rate");
    }
    return throttled(nowMillis, rate);
  }

  /**
   * The relay said slow down. Lowers the rate by the decrease factor, but not below the floor and
   * not twice within the cool-down.
   *
   * @param nowMillis the time of the reply, in milliseconds from a monotonic clock
   * @param observedRate the rate messages were actually sent at when the relay pushed back; used
   *     only when no limit is in effect, to start the limit from
   * @return whether the rate changed
   */
  public boolean throttled(long nowMillis, MessageRate observedRate) {
    Objects.requireNonNull(observedRate, "observedRate");
    lastThrottle = nowMillis;
    if (lastDecrease != NEVER && nowMillis - lastDecrease < coolDownMillis) {
      return false; // another reply to the same overload
    }
    lastDecrease = nowMillis;
    MessageRate from = rate;
    if (from == null) {
      from = observedRate;
      step = observedRate.times(stepFraction);
      releaseAbove = observedRate.times(RELEASE_MULTIPLE);
    }
    return changeTo(from.times(decreaseFactor).max(floor));
  }

  /**
   * A send succeeded. After a second without a throttle, raises the rate by one step, at most once a
   * second and never above the ceiling; without a configured limit, lifts the limit once the rate
   * would climb past twice the send rate observed at the first throttle.
   *
   * @param nowMillis the time of the success, in milliseconds from a monotonic clock
   * @return whether the rate changed
   */
  public boolean succeeded(long nowMillis) {
    if (rate == null || within(lastThrottle, nowMillis) || within(lastIncrease, nowMillis)) {
      return false;
    }
    lastIncrease = nowMillis;
    MessageRate raised = rate.plus(step.perSecond());
    if (ceiling != null) {
      return changeTo(raised.min(ceiling));
    }
    if (raised.compareTo(releaseAbove) > 0) {
      rate = null;
      step = null;
      releaseAbove = null;
      return true;
    }
    return changeTo(raised);
  }

  private static boolean within(long since, long nowMillis) {
    return since != NEVER && nowMillis - since < INCREASE_PERIOD_MILLIS;
  }

  private boolean changeTo(MessageRate next) {
    boolean changed = !next.equals(rate);
    rate = next;
    return changed;
  }

  @Override
  public String toString() {
    return "AdaptiveRate[" + (rate == null ? "unlimited" : rate)
        + (ceiling == null ? ", no ceiling" : ", ceiling " + ceiling) + ", floor " + floor + "]";
  }
}
