package io.postroom.dispatcher.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageRateTest {
  private static final MessageRate SLOW = MessageRate.perSecond(5);
  private static final MessageRate FAST = MessageRate.perSecond(50);

  @Test
  void holdsTheNumberOfMessagesPerSecond() {
    assertThat(MessageRate.perSecond(12.5).perSecond()).isEqualTo(12.5);
  }

  @Test
  void aZeroRateIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageRate.perSecond(0))
        .withMessageContaining("above 0");
  }

  @Test
  void aNegativeRateIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MessageRate.perSecond(-1));
  }

  @Test
  void aRateThatIsNotANumberIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MessageRate.perSecond(Double.NaN));
  }

  @Test
  void anInfiniteRateIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MessageRate.perSecond(Double.POSITIVE_INFINITY))
        .withMessageContaining("finite");
  }

  @Test
  void theIntervalIsTheTimeBetweenTwoMessages() {
    assertThat(MessageRate.perSecond(20).interval()).isEqualTo(Duration.ofMillis(50));
    assertThat(MessageRate.perSecond(0.5).interval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theIntervalIsRoundedToTheNearestNanosecond() {
    assertThat(MessageRate.perSecond(3).interval()).isEqualTo(Duration.ofNanos(333_333_333));
  }

  @Test
  void theIntervalIsAtLeastOneMicrosecond() {
    assertThat(MessageRate.perSecond(1e9).interval()).isEqualTo(Duration.ofNanos(1_000));
  }

  @Test
  void theIntervalOfAVeryLowRateDoesNotOverflow() {
    assertThat(MessageRate.perSecond(1e-12).interval()).isPositive();
  }

  @Test
  void timesMultipliesTheRate() {
    assertThat(MessageRate.perSecond(10).times(0.5)).isEqualTo(MessageRate.perSecond(5));
  }

  @Test
  void timesZeroIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MessageRate.perSecond(10).times(0));
  }

  @Test
  void plusAddsMessagesPerSecond() {
    assertThat(MessageRate.perSecond(10).plus(2.5)).isEqualTo(MessageRate.perSecond(12.5));
  }

  @Test
  void plusANegativeAmountLowersTheRate() {
    assertThat(MessageRate.perSecond(10).plus(-4)).isEqualTo(MessageRate.perSecond(6));
  }

  @Test
  void plusDownToZeroIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> MessageRate.perSecond(10).plus(-10));
  }

  @Test
  void minIsTheSlowerRate() {
    assertThat(SLOW.min(FAST)).isSameAs(SLOW);
    assertThat(FAST.min(SLOW)).isSameAs(SLOW);
  }

  @Test
  void maxIsTheFasterRate() {
    assertThat(SLOW.max(FAST)).isSameAs(FAST);
    assertThat(FAST.max(SLOW)).isSameAs(FAST);
  }

  @Test
  void ratesOrderFromSlowToFast() {
    assertThat(MessageRate.perSecond(5)).isLessThan(MessageRate.perSecond(5.5));
  }

  @Test
  void printsAsMessagesPerSecond() {
    assertThat(MessageRate.perSecond(12.5)).hasToString("12.5/s");
  }

  @Test
  void printsAWholeRateWithoutDecimals() {
    assertThat(MessageRate.perSecond(20)).hasToString("20/s");
    assertThat(MessageRate.perSecond(1000)).hasToString("1000/s");
  }

  @Test
  void printsAtMostSixSignificantDigits() {
    assertThat(MessageRate.perSecond(1.0 / 3)).hasToString("0.333333/s");
  }

  @Test
  void printsAVeryLowRateWithoutAnExponent() {
    assertThat(MessageRate.perSecond(0.0001)).hasToString("0.0001/s");
  }
}
