package io.postroom.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final Backoff backoff = new Backoff(SECOND, MINUTE, 2.0);

  @Test
  void theFirstCeilingIsTheInitialPause() {
    assertThat(backoff.ceiling(1)).isEqualTo(SECOND);
  }

  @Test
  void theCeilingDoublesWithEachPause() {
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(32));
  }

  @Test
  void theCeilingIsCappedAtMax() {
    assertThat(backoff.ceiling(7)).isEqualTo(MINUTE); // 64 s uncapped
  }

  @Test
  void theCeilingStaysAtMaxForEverLaterPauses() {
    assertThat(backoff.ceiling(100)).isEqualTo(MINUTE);
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(MINUTE);
  }

  @Test
  void aPauseNumberedZeroOrLessIsTreatedAsTheFirst() {
    assertThat(backoff.ceiling(0)).isEqualTo(SECOND);
    assertThat(backoff.ceiling(-5)).isEqualTo(SECOND);
  }

  @Test
  void aMultiplierOfOneKeepsEveryPauseAtTheInitial() {
    Backoff constant = new Backoff(SECOND, MINUTE, 1.0);

    assertThat(constant.ceiling(1)).isEqualTo(SECOND);
    assertThat(constant.ceiling(50)).isEqualTo(SECOND);
  }

  @Test
  void aFractionalMultiplierGrowsThePauseByThatFactor() {
    Backoff gentle = new Backoff(SECOND, MINUTE, 1.5);

    assertThat(gentle.ceiling(2)).isEqualTo(Duration.ofMillis(1500));
    assertThat(gentle.ceiling(3)).isEqualTo(Duration.ofMillis(2250));
  }

  @Test
  void everyDelayIsBetweenHalfTheCeilingAndTheCeiling() {
    for (long seed = 0; seed < 20; seed++) {
      Random random = new Random(seed);
      for (int n = 1; n <= 10; n++) {
        long ceiling = backoff.ceiling(n).toMillis();
        for (int draw = 0; draw < 200; draw++) {
          assertThat(backoff.delay(n, random).toMillis())
              .as("pause %d, seed %d", n, seed)
              .isBetween(ceiling / 2, ceiling);
        }
      }
    }
  }

  @Test
  void aCappedDelayIsBetweenHalfTheMaxAndTheMax() {
    Random random = new Random(7);
    for (int draw = 0; draw < 1000; draw++) {
      assertThat(backoff.delay(30, random)).isBetween(Duration.ofSeconds(30), MINUTE);
    }
  }

  @Test
  void theDelayIsRandomWithinItsRange() {
    Random random = new Random(42);
    Set<Duration> seen = new HashSet<>();
    for (int draw = 0; draw < 100; draw++) {
      seen.add(backoff.delay(3, random));
    }

    assertThat(seen).hasSizeGreaterThan(50);
  }

  @Test
  void bothEndsOfTheRangeCanBeDrawn() {
    Backoff small = new Backoff(Duration.ofMillis(4), Duration.ofMillis(4), 2.0);
    Random random = new Random(1);
    Set<Long> seen = new HashSet<>();
    for (int draw = 0; draw < 1000; draw++) {
      seen.add(small.delay(1, random).toMillis());
    }

    assertThat(seen).containsExactlyInAnyOrder(2L, 3L, 4L);
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    Random first = new Random(99);
    Random second = new Random(99);

    for (int n = 1; n <= 10; n++) {
      assertThat(backoff.delay(n, first)).isEqualTo(backoff.delay(n, second));
    }
  }

  @Test
  void aMaxEqualToTheInitialIsAccepted() {
    Backoff flat = new Backoff(SECOND, SECOND, 2.0);

    assertThat(flat.ceiling(5)).isEqualTo(SECOND);
  }

  @Test
  void aZeroInitialPauseIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Backoff(Duration.ZERO, MINUTE, 2.0))
        .withMessageContaining("initial");
  }

  @Test
  void aNegativeInitialPauseIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Backoff(Duration.ofSeconds(-1), MINUTE, 2.0))
        .withMessageContaining("initial");
  }

  @Test
  void aMaxSmallerThanTheInitialIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Backoff(MINUTE, SECOND, 2.0))
        .withMessageContaining("max");
  }

  @Test
  void aMultiplierBelowOneIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Backoff(SECOND, MINUTE, 0.5))
        .withMessageContaining("multiplier");
  }

  @Test
  void aMultiplierThatIsNotANumberIsRejected() {
    // NaN < 1.0 is false: the check lets it through, and every pause after the first becomes 0 ms
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Backoff(SECOND, MINUTE, Double.NaN))
        .withMessageContaining("multiplier");
  }
}
