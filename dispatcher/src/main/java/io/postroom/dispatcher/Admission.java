package io.postroom.dispatcher;

import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * May this job go now? The one answer to it, asked by the consumer before a record of a retry tier
 * or a lane topic is worked on (from the record's journey, without parsing the job), by the
 * processor once the job is read, and by the delivery before each attempt:
 *
 * <ol>
 *   <li>a job past its {@code expiresAt} is {@link Expired};
 *   <li>a job not due yet waits until it is ({@link WaitUntil}), unless it would expire first
 *       ({@link Expired} now rather than later);
 *   <li>a job whose lane holds {@code laneCapacity} jobs waits for room ({@link WaitForLaneRoom});
 *   <li>else it may {@link Go}.
 * </ol>
 *
 * <p>Event-loop confined (it reads the lane occupancy). The usual answer, {@link #GO}, allocates nothing.
 */
final class Admission {
  /** A job due this soon is sent now rather than written to a retry tier. */
  static final Duration DUE_NOW = Duration.ofMillis(50);
  static final Go GO = new Go();

  /** The answer. */
  sealed interface Decision permits Go, WaitUntil, WaitForLaneRoom, Expired {
  }

  /** It may go now. */
  record Go() implements Decision {
  }

  /** Not before {@code until}. */
  record WaitUntil(Instant until) implements Decision {
  }

  /** Not while {@code lane} is full. */
  record WaitForLaneRoom(Lane lane) implements Decision {
  }

  /** Never: it expired (or would before it is due) at {@code expiresAt}. */
  record Expired(Instant expiresAt) implements Decision {
  }

  private final LaneOccupancy lanes;
  private final Clock clock;

  Admission(LaneOccupancy lanes, Clock clock) {
    this.lanes = lanes;
    this.clock = clock;
  }

  /**
   * For a job that was read.
   *
   * @param due not before this (its {@code notBefore}, or the due time of its journey); null for now
   * @param expiresAt the job's {@code expiresAt}, or null
   * @param lane the job's lane, or null when its room is not to be asked (a record of a lane topic,
   *     let through by the consumer when its lane had room)
   */
  Decision ofJob(Instant due, Instant expiresAt, Lane lane) {
    return decide(due, DUE_NOW, expiresAt, lane);
  }

  /** Before each attempt (a job waits in memory for a relay or between its transactions): has it expired meanwhile? */
  Decision ofAttempt(Instant expiresAt) {
    return decide(null, DUE_NOW, expiresAt, null);
  }

  /**
   * For a record of a retry tier or a lane topic, before its job is read: a tier's record is held
   * until its wake time exactly (the tier was chosen for it), a lane topic's while its lane is full.
   *
   * @param wakeAt when a retry tier's record may be read
   *     ({@link io.postroom.dispatcher.retry.RetryTiers#wakeAt}), or null
   * @param lane the lane of a lane topic's record, or null
   */
  Decision ofRecord(Instant wakeAt, Lane lane) {
    return decide(wakeAt, Duration.ZERO, null, lane);
  }

  /**
   * For a job that must wait until {@code due} after a transient failure: it always waits (on a
   * retry tier, however soon it is due), unless it would expire first.
   */
  Decision ofRetry(Instant due, Instant expiresAt) {
    return expiresAt != null && !due.isBefore(expiresAt) ? new Expired(expiresAt) : new WaitUntil(due);
  }

  /** The clock is read only when a time is asked about: most jobs have neither a due time nor an expiry. */
  private Decision decide(Instant due, Duration slack, Instant expiresAt, Lane lane) {
    if (expiresAt != null || due != null) {
      Instant now = clock.instant();
      if (expiresAt != null && !now.isBefore(expiresAt)) {
        return new Expired(expiresAt);
      }
      if (due != null && due.isAfter(now.plus(slack))) {
        return expiresAt != null && !due.isBefore(expiresAt) ? new Expired(expiresAt) : new WaitUntil(due);
      }
    }
    if (lane != null && lanes.full(lane)) {
      return new WaitForLaneRoom(lane);
    }
    return GO;
  }
}
