package io.postroom.dispatcher.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AdaptiveRateTest {

  private static final long START = 1_000_000; // any instant of a monotonic clock, in ms
  private static final long SECOND = 1_000;

  private static MessageRate rate(double perSecond) {
    return MessageRate.perSecond(perSecond);
  }

  @Nested
  class UnderAConfiguredLimit {

    // ceiling 100/s, so the default step is 5/s
    private final AdaptiveRate adaptive = AdaptiveRate.limited(rate(100), rate(10));

    @Test
    void startsAtTheCeiling() {
      assertThat(adaptive.current()).contains(rate(100));
    }

    @Test
    void aThrottleHalvesTheRate() {
      adaptive.throttled(START);

      assertThat(adaptive.current()).contains(rate(50));
    }

    @Test
    void aThrottleNeverTakesTheRateBelowTheFloor() {
      for (int i = 0; i < 10; i++) {
        adaptive.throttled(START + i * SECOND);
      }

      assertThat(adaptive.current()).contains(rate(10));
    }

    @Test
    void throttlesWithinTheCoolDownDoNotDecreaseAgain() {
      adaptive.throttled(START);
      adaptive.throttled(START + 1);
      adaptive.throttled(START + SECOND - 1);

      assertThat(adaptive.current()).contains(rate(50));
    }

    @Test
    void aThrottleAfterTheCoolDownDecreasesAgain() {
      adaptive.throttled(START);
      adaptive.throttled(START + SECOND);

      assertThat(adaptive.current()).contains(rate(25));
    }

    @Test
    void aThrottleTellsWhetherItChangedTheRate() {
      assertThat(adaptive.throttled(START)).isTrue();
      assertThat(adaptive.throttled(START + 1)).isFalse();
    }

    @Test
    void aThrottleAtTheFloorChangesNothing() {
      AdaptiveRate atFloor = AdaptiveRate.limited(rate(10), rate(10));

      assertThat(atFloor.throttled(START)).isFalse();
      assertThat(atFloor.current()).contains(rate(10));
    }

    @Test
    void theObservedRateIsIgnoredWhileALimitIsInEffect() {
      adaptive.throttled(START, rate(1000));

      assertThat(adaptive.current()).contains(rate(50));
    }

    @Test
    void aSecondOfSuccessAfterAThrottleRaisesTheRateByOneStep() {
      adaptive.throttled(START);
      adaptive.succeeded(START + SECOND);

      assertThat(adaptive.current()).contains(rate(55));
    }

    @Test
    void successWithinASecondOfAThrottleDoesNotRaiseTheRate() {
      adaptive.throttled(START);
      adaptive.succeeded(START + SECOND - 1);

      assertThat(adaptive.current()).contains(rate(50));
    }

    @Test
    void aThrottleSuppressedByTheCoolDownStillPostponesTheIncrease() {
      adaptive.throttled(START);
      adaptive.throttled(START + 600);
      adaptive.succeeded(START + SECOND);

      assertThat(adaptive.current()).contains(rate(50));

      adaptive.succeeded(START + 600 + SECOND);

      assertThat(adaptive.current()).contains(rate(55));
    }

    @Test
    void theRateRisesAtMostOncePerSecond() {
      adaptive.throttled(START);
      for (long t = START + SECOND; t < START + 2 * SECOND; t += 10) {
        adaptive.succeeded(t);
      }

      assertThat(adaptive.current()).contains(rate(55));
    }

    @Test
    void theRateRisesOneStepEachSecondOfSuccess() {
      adaptive.throttled(START);
      for (int second = 1; second <= 4; second++) {
        adaptive.succeeded(START + second * SECOND);
      }

      assertThat(adaptive.current()).contains(rate(70));
    }

    @Test
    void theRateNeverRisesAboveTheCeiling() {
      adaptive.throttled(START);
      for (int second = 1; second <= 60; second++) {
        adaptive.succeeded(START + second * SECOND);
      }

      assertThat(adaptive.current()).contains(rate(100));
    }

    @Test
    void successAtTheCeilingChangesNothing() {
      assertThat(adaptive.succeeded(START)).isFalse();
      assertThat(adaptive.current()).contains(rate(100));
    }

    @Test
    void theDecreaseFactorStepAndCoolDownCanBeChosen() {
      AdaptiveRate custom = AdaptiveRate.limited(rate(100), rate(1), 0.8, rate(1), Duration.ZERO);

      custom.throttled(START);
      custom.throttled(START);
      custom.succeeded(START + SECOND);

      assertThat(custom.current()).contains(rate(100 * 0.8 * 0.8 + 1));
    }

    @Test
    void aFloorAboveTheCeilingIsRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> AdaptiveRate.limited(rate(10), rate(20)))
          .withMessageContaining("floor");
    }

    @Test
    void aDecreaseFactorOfOneIsRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> AdaptiveRate.limited(rate(10), rate(1), 1.0, rate(1), Duration.ZERO))
          .withMessageContaining("decreaseFactor");
    }

    @Test
    void aDecreaseFactorOfZeroIsRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> AdaptiveRate.limited(rate(10), rate(1), 0.0, rate(1), Duration.ZERO))
          .withMessageContaining("decreaseFactor");
    }

    @Test
    void aNegativeCoolDownIsRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() ->
              AdaptiveRate.limited(rate(10), rate(1), 0.5, rate(1), Duration.ofMillis(-1)))
          .withMessageContaining("coolDown");
    }
  }

  @Nested
  class WithoutAConfiguredLimit {

    private final AdaptiveRate adaptive = AdaptiveRate.unlimited(rate(1));

    @Test
    void hasNoRateUntilTheRelayPushesBack() {
      assertThat(adaptive.current()).isEmpty();
    }

    @Test
    void successWhileUnlimitedChangesNothing() {
      assertThat(adaptive.succeeded(START)).isFalse();
      assertThat(adaptive.current()).isEmpty();
    }

    @Test
    void theFirstThrottleStartsFromHalfTheObservedRate() {
      assertThat(adaptive.throttled(START, rate(100))).isTrue();

      assertThat(adaptive.current()).contains(rate(50));
    }

    @Test
    void theFirstThrottleRespectsTheFloor() {
      AdaptiveRate highFloor = AdaptiveRate.unlimited(rate(80));

      highFloor.throttled(START, rate(100));

      assertThat(highFloor.current()).contains(rate(80));
    }

    @Test
    void aThrottleWithoutAnObservedRateIsRejectedWhileUnlimited() {
      assertThatIllegalStateException()
          .isThrownBy(() -> adaptive.throttled(START))
          .withMessageContaining("observed");
    }

    @Test
    void aLaterThrottleHalvesTheCurrentRateNotTheObservedOne() {
      adaptive.throttled(START, rate(100));
      adaptive.throttled(START + SECOND, rate(100));

      assertThat(adaptive.current()).contains(rate(25));
    }

    @Test
    void aLaterThrottleNeedsNoObservedRate() {
      adaptive.throttled(START, rate(100));
      adaptive.throttled(START + SECOND);

      assertThat(adaptive.current()).contains(rate(25));
    }

    @Test
    void theCoolDownAppliesFromTheFirstThrottle() {
      adaptive.throttled(START, rate(100));
      adaptive.throttled(START + 1, rate(100));

      assertThat(adaptive.current()).contains(rate(50));
    }

    @Test
    void itClimbsByFivePercentOfTheObservedRateEachSecond() {
      adaptive.throttled(START, rate(100));
      adaptive.succeeded(START + SECOND);
      adaptive.succeeded(START + 2 * SECOND);

      assertThat(adaptive.current()).contains(rate(60));
    }

    @Test
    void itStaysLimitedAtExactlyTwiceTheObservedRate() {
      adaptive.throttled(START, rate(100));
      for (int second = 1; second <= 30; second++) { // 50/s + 30 × 5/s
        adaptive.succeeded(START + second * SECOND);
      }

      assertThat(adaptive.current()).contains(rate(200));
    }

    @Test
    void itBecomesUnlimitedOnceItWouldExceedTwiceTheObservedRate() {
      adaptive.throttled(START, rate(100));
      for (int second = 1; second <= 30; second++) {
        adaptive.succeeded(START + second * SECOND);
      }

      assertThat(adaptive.succeeded(START + 31 * SECOND)).isTrue();
      assertThat(adaptive.current()).isEmpty();
    }

    @Test
    void afterBecomingUnlimitedTheNextThrottleStartsFromTheNewObservedRate() {
      adaptive.throttled(START, rate(100));
      for (int second = 1; second <= 31; second++) {
        adaptive.succeeded(START + second * SECOND);
      }

      adaptive.throttled(START + 40 * SECOND, rate(400));
      adaptive.succeeded(START + 41 * SECOND);

      assertThat(adaptive.current()).contains(rate(220)); // 400/2, then a step of 5% of 400
    }

    @Test
    void theStepFractionCanBeChosen() {
      AdaptiveRate custom = AdaptiveRate.unlimited(rate(1), 0.5, 0.1, Duration.ofSeconds(1));

      custom.throttled(START, rate(100));
      custom.succeeded(START + SECOND);

      assertThat(custom.current()).contains(rate(60));
    }

    @Test
    void aStepFractionOfZeroIsRejected() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> AdaptiveRate.unlimited(rate(1), 0.5, 0.0, Duration.ofSeconds(1)))
          .withMessageContaining("stepFraction");
    }
  }
}
