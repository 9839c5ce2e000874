package io.postroom.dispatcher.flow;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Which assigned partitions the consumer must pause. Every assigned partition while the jobs being
 * worked on, or those being moved to a lane or retry topic, are at the in-flight bound (until both
 * are back to three quarters), no relay can take mail, or the dispatcher stops; otherwise only the
 * partitions whose gate is closed ({@link PartitionGates}). Pausing partitions, never the stream:
 * a consumer that stops polling is thrown out of the group.
 *
 * <p>No Kafka here: {@code P} is whatever names a partition. Confined to the consumer's thread.
 *
 * @param <P> a partition
 */
public final class FlowControl<P> {
  private final int bound;
  private final BooleanSupplier anyRelayUp;
  private Set<P> pausedNow = new HashSet<>();
  private boolean paused;
  /** The assignment or the gates changed since the paused set was last computed. */
  private boolean changed;

  /** What to tell the consumer. */
  public record Change<P>(Set<P> pause, Set<P> resume) {
  }

  /**
   * @param bound the in-flight bound ({@code maxInFlight}), for the jobs being worked on and, apart,
   *     for those being moved
   * @param anyRelayUp whether any relay can take mail; asked only when it can decide
   */
  public FlowControl(int bound, BooleanSupplier anyRelayUp) {
    this.bound = bound;
    this.anyRelayUp = anyRelayUp;
  }

  /** The assignment or a gate changed: the next {@link #update} recomputes the paused set. */
  public void changed() {
    changed = true;
  }

  /** Newly assigned partitions start unpaused in the Kafka consumer. */
  public void assigned(Collection<P> partitions) {
    pausedNow.removeAll(partitions);
    changed = true;
  }

  /** Revoked partitions are no longer the consumer's to pause or resume. */
  public void revoked(Collection<P> partitions) {
    pausedNow.removeAll(partitions);
    changed = true;
  }

  /**
   * @param working jobs in flight that are being worked on
   * @param moving jobs in flight on their way to a lane or retry topic
   * @param assigned the partitions assigned now
   * @param gated the partitions whose gate is closed
   * @return the partitions to pause and to resume, or null when nothing the paused set depends on
   *     changed (the usual case, twice per job, answered without allocating)
   */
  public Change<P> update(int working, int moving, boolean stopping, Set<P> assigned, Set<P> gated) {
    boolean wasPaused = paused;
    if (!paused && (stopping || working >= bound || moving >= bound || !anyRelayUp.getAsBoolean())) {
      paused = true;
    } else if (paused && !stopping && working <= bound * 3 / 4 && moving <= bound * 3 / 4
        && anyRelayUp.getAsBoolean()) {
      paused = false;
    }
    if (paused == wasPaused && !changed) {
      return null;
    }
    changed = false;
    Set<P> wanted = new HashSet<>(assigned);
    if (!paused) {
      wanted.retainAll(gated);
    }
    Set<P> toPause = new HashSet<>(wanted);
    toPause.removeAll(pausedNow);
    Set<P> toResume = new HashSet<>(pausedNow);
    toResume.removeAll(wanted);
    pausedNow = wanted;
    return new Change<>(toPause, toResume);
  }

  /** Whether every assigned partition is paused (backpressure, no relay, stopping). */
  public boolean paused() {
    return paused;
  }

  /** For the gauge, read from the metrics endpoint's thread: a size only, never an iteration. */
  public int pausedPartitions() {
    return pausedNow.size();
  }
}
