package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** May this job go now: each answer, and what decides between them. */
class AdmissionTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Lane LANE = new Lane(Priority.BULK, "billing");

  private final LaneOccupancy lanes = new LaneOccupancy(1);
  private final Admission admission = new Admission(lanes, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aJobWithNoDueTimeNoExpiryAndRoomInItsLaneGoes() {
    assertThat(admission.ofJob(null, null, LANE)).isSameAs(Admission.GO);
  }

  @Test
  void aJobPastItsExpiryHasExpired() {
    assertThat(admission.ofJob(null, NOW, LANE)).isEqualTo(new Admission.Expired(NOW));
  }

  @Test
  void expiryIsDecidedBeforeDueTimeAndLaneRoom() {
    lanes.enter(LANE);

    assertThat(admission.ofJob(NOW.plusSeconds(60), NOW.minusSeconds(1), LANE))
        .isEqualTo(new Admission.Expired(NOW.minusSeconds(1)));
  }

  @Test
  void aJobNotDueYetWaitsUntilItIsDue() {
    assertThat(admission.ofJob(NOW.plusSeconds(60), NOW.plusSeconds(3600), LANE))
        .isEqualTo(new Admission.WaitUntil(NOW.plusSeconds(60)));
  }

  @Test
  void aJobThatWouldExpireBeforeItIsDueHasExpiredNow() {
    assertThat(admission.ofJob(NOW.plusSeconds(60), NOW.plusSeconds(60), LANE))
        .isEqualTo(new Admission.Expired(NOW.plusSeconds(60)));
  }

  @Test
  void aJobDueWithinFiftyMillisecondsGoesNow() {
    assertThat(admission.ofJob(NOW.plus(Admission.DUE_NOW), null, LANE)).isSameAs(Admission.GO);
  }

  @Test
  void aDueJobWhoseLaneIsFullWaitsForRoom() {
    lanes.enter(LANE);

    assertThat(admission.ofJob(NOW.minusSeconds(1), null, LANE)).isEqualTo(new Admission.WaitForLaneRoom(LANE));
  }

  @Test
  void aJobWhoseLaneRoomIsNotAskedGoesWhenItsLaneIsFull() {
    lanes.enter(LANE);

    assertThat(admission.ofJob(null, null, null)).isSameAs(Admission.GO);
  }

  @Test
  void anAttemptOfAnExpiredJobHasExpired() {
    assertThat(admission.ofAttempt(NOW.minusMillis(1))).isEqualTo(new Admission.Expired(NOW.minusMillis(1)));
  }

  @Test
  void anAttemptIsNotHeldForLaneRoomItAlreadyHas() {
    lanes.enter(LANE);

    assertThat(admission.ofAttempt(NOW.plusSeconds(1))).isSameAs(Admission.GO);
  }

  @Test
  void aRetryTiersRecordIsHeldUntilItsWakeTimeExactly() {
    assertThat(admission.ofRecord(NOW.plusMillis(1), null)).isEqualTo(new Admission.WaitUntil(NOW.plusMillis(1)));
    assertThat(admission.ofRecord(NOW, null)).isSameAs(Admission.GO);
  }

  @Test
  void aLaneTopicsRecordIsHeldWhileItsLaneIsFull() {
    assertThat(admission.ofRecord(null, LANE)).isSameAs(Admission.GO);

    lanes.enter(LANE);

    assertThat(admission.ofRecord(null, LANE)).isEqualTo(new Admission.WaitForLaneRoom(LANE));
  }

  @Test
  void aRetryWaitsHoweverSoonItIsDue() {
    assertThat(admission.ofRetry(NOW, null)).isEqualTo(new Admission.WaitUntil(NOW));
  }

  @Test
  void aRetryDueAtOrAfterTheJobsExpiryHasExpired() {
    assertThat(admission.ofRetry(NOW.plus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(1))))
        .isEqualTo(new Admission.Expired(NOW.plus(Duration.ofMinutes(1))));
    assertThat(admission.ofRetry(NOW.plus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(2))))
        .isEqualTo(new Admission.WaitUntil(NOW.plus(Duration.ofMinutes(1))));
  }
}
