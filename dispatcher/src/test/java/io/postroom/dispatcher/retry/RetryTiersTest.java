package io.postroom.dispatcher.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryTiersTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final long WRITTEN_AT = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

  private final RetryTiers tiers = new RetryTiers("mail.jobs.retry", List.of(TEN_SECONDS, MINUTE, TEN_MINUTES, HOUR));

  @Test
  void eachTierHasATopicNamedByPrefixAndLabel() {
    assertThat(tiers.topics())
        .containsExactly("mail.jobs.retry.10s", "mail.jobs.retry.1m", "mail.jobs.retry.10m", "mail.jobs.retry.1h");
  }

  @Test
  void aTiersTopicIsNamedAfterItsDelay() {
    assertThat(tiers.topic(TEN_MINUTES)).isEqualTo("mail.jobs.retry.10m");
  }

  @Test
  void aDelayIsLabelledInTheLargestUnitThatNamesItExactly() {
    assertThat(RetryTiers.label(TEN_SECONDS)).isEqualTo("10s");
    assertThat(RetryTiers.label(Duration.ofSeconds(60))).isEqualTo("1m");
    assertThat(RetryTiers.label(Duration.ofMinutes(60))).isEqualTo("1h");
    assertThat(RetryTiers.label(Duration.ofMillis(250))).isEqualTo("250ms");
  }

  @Test
  void aDelayThatIsNoWholeNumberOfALargerUnitKeepsTheSmallerOne() {
    assertThat(RetryTiers.label(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(RetryTiers.label(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(RetryTiers.label(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(RetryTiers.label(Duration.ofHours(24))).isEqualTo("24h");
  }

  @Test
  void aWaitAsLongAsATierGoesToThatTier() {
    assertThat(tiers.forWait(MINUTE)).isEqualTo(MINUTE);
    assertThat(tiers.forWait(HOUR)).isEqualTo(HOUR);
  }

  @Test
  void aWaitGoesToTheLargestTierNotLongerThanIt() {
    assertThat(tiers.forWait(Duration.ofSeconds(59))).isEqualTo(TEN_SECONDS);
    assertThat(tiers.forWait(Duration.ofMinutes(5))).isEqualTo(MINUTE);
    assertThat(tiers.forWait(Duration.ofMinutes(59))).isEqualTo(TEN_MINUTES);
  }

  @Test
  void aWaitLongerThanEveryTierGoesToTheLongest() {
    assertThat(tiers.forWait(Duration.ofDays(1))).isEqualTo(HOUR);
  }

  @Test
  void aWaitShorterThanEveryTierGoesToTheShortest() {
    assertThat(tiers.forWait(Duration.ofSeconds(3))).isEqualTo(TEN_SECONDS);
    assertThat(tiers.forWait(Duration.ZERO)).isEqualTo(TEN_SECONDS);
  }

  @Test
  void aTiersOwnTopicTellsItsDelay() {
    assertThat(tiers.delayOf("mail.jobs.retry.10s")).contains(TEN_SECONDS);
    assertThat(tiers.delayOf("mail.jobs.retry.1h")).contains(HOUR);
  }

  @Test
  void aForeignTopicIsNoTier() {
    assertThat(tiers.delayOf("mail.jobs")).isEmpty();
    assertThat(tiers.delayOf("mail.jobs.retry.5m")).isEmpty();
    assertThat(tiers.delayOf("other.retry.10s")).isEmpty();
  }

  @Test
  void aRecordDueBeforeItsTierEndsWakesWhenDue() {
    Instant due = Instant.ofEpochMilli(WRITTEN_AT).plusSeconds(4);

    assertThat(RetryTiers.wakeAt(TEN_SECONDS, WRITTEN_AT, due)).isEqualTo(due);
  }

  @Test
  void aRecordDueAfterItsTierEndsWakesAtTheTierEnd() {
    Instant due = Instant.ofEpochMilli(WRITTEN_AT).plus(Duration.ofDays(1));

    assertThat(RetryTiers.wakeAt(TEN_SECONDS, WRITTEN_AT, due)).isEqualTo(Instant.ofEpochMilli(WRITTEN_AT).plusSeconds(10));
  }

  @Test
  void aRecordWithoutDueTimeWakesAtTheTierEnd() {
    assertThat(RetryTiers.wakeAt(MINUTE, WRITTEN_AT, null)).isEqualTo(Instant.ofEpochMilli(WRITTEN_AT).plusSeconds(60));
  }

  @Test
  void aRecordAlreadyDueWhenWrittenWakesAtOnce() {
    Instant due = Instant.ofEpochMilli(WRITTEN_AT).minusSeconds(30);

    assertThat(RetryTiers.wakeAt(TEN_SECONDS, WRITTEN_AT, due)).isEqualTo(due);
  }

  @Test
  void atLeastOneTierIsNeeded() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RetryTiers("mail.jobs.retry", List.of()));
  }

  @Test
  void tiersMustBeListedShortestFirst() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetryTiers("mail.jobs.retry", List.of(MINUTE, TEN_SECONDS)));
  }

  @Test
  void tiersMustBeDistinct() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetryTiers("mail.jobs.retry", List.of(TEN_SECONDS, MINUTE, MINUTE)));
  }

  @Test
  void aTierShorterThanAMillisecondIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetryTiers("mail.jobs.retry", List.of(Duration.ZERO, TEN_SECONDS)));
  }

  @Test
  void laterChangesToTheGivenListDoNotChangeTheTiers() {
    List<Duration> delays = new ArrayList<>(List.of(TEN_SECONDS, MINUTE));
    RetryTiers copied = new RetryTiers("mail.jobs.retry", delays);

    delays.add(HOUR);

    assertThat(copied.delays()).containsExactly(TEN_SECONDS, MINUTE);
  }
}
