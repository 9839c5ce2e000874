package io.postroom.dispatcher.flow;

import io.postroom.dispatcher.lanes.Lane;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The partitions whose head record must wait, each behind a {@link Gate}: a retry tier's partition
 * until an instant, a lane topic's until its lane has room, a newly assigned partition until the
 * status topic was read. A closed gate holds the head and the records fetched behind it, in order:
 * they are not worked on, and not committed, until it opens. {@link FlowControl} pauses the
 * partitions of closed gates.
 *
 * <p>No Kafka, no Vert.x: {@code P} names a partition, {@code R} is a record; the caller keeps a
 * gate's timer. Confined to the consumer's thread.
 *
 * @param <P> a partition
 * @param <R> a record
 */
public final class PartitionGates<P, R> {
  private final Map<P, Gate<R>> gates = new HashMap<>();
  private final Runnable onChange;

  /** A partition's wait, and the records held behind it. */
  public static final class Gate<R> {
    private final Instant until;
    private final Lane lane;
    private final ArrayDeque<R> held = new ArrayDeque<>();
    private long timer = -1;

    private Gate(Instant until, Lane lane) {
      this.until = until;
      this.lane = lane;
    }

    /** When the head may go, for a retry tier's partition; else null. */
    public Instant until() {
      return until;
    }

    /** The lane that must have room, for a lane topic's partition; else null. */
    public Lane lane() {
      return lane;
    }

    /** The timer that opens it at {@link #until()}, or -1. */
    public long timer() {
      return timer;
    }

    public void timer(long timer) {
      this.timer = timer;
    }

    public int held() {
      return held.size();
    }
  }

  /** @param onChange told whenever a gate closes or opens: the paused partitions must be recomputed */
  public PartitionGates(Runnable onChange) {
    this.onChange = onChange;
  }

  /**
   * Holds {@code record} behind its partition's gate if that is closed (it was fetched before the
   * pause took effect, and keeps its place behind the waiting head).
   *
   * @return whether it was held
   */
  public boolean holds(P partition, R record) {
    Gate<R> gate = gates.get(partition);
    if (gate == null) {
      return false;
    }
    gate.held.add(record);
    return true;
  }

  /**
   * Closes the partition's gate with {@code head} held first: it
   * waits {@code until} an instant, or for {@code lane}.
   */
  public Gate<R> close(P partition, R head, Instant until, Lane lane) {
    Gate<R> gate = new Gate<>(until, lane);
    gate.held.add(head);
    gates.put(partition, gate);
    onChange.run();
    return gate;
  }

  /**
   * Closes the gates of newly assigned partitions until the status topic was read (their last
   * reader may have reported jobs it could not commit).
   *
   * @return the gates, to {@link #open} when the read is done
   */
  public Map<P, Gate<R>> closeUntilLearned(Collection<P> partitions) {
    Map<P, Gate<R>> learning = new HashMap<>();
    partitions.forEach(partition -> learning.put(partition, new Gate<>(null, null)));
    gates.putAll(learning);
    onChange.run();
    return learning;
  }

  /**
   * The head may go: opens the gate and hands the held records to {@code admit} in order; once one
   * of them closes the partition's gate again, the rest stay held behind it. Nothing happens when
   * {@code gate} is no longer the partition's (opened already, or revoked).
   *
   * @return whether the gate was open until now
   */
  public boolean open(P partition, Gate<R> gate, BiConsumer<P, R> admit) {
    if (gates.get(partition) != gate) {
      return false;
    }
    gates.remove(partition);
    onChange.run();
    while (!gate.held.isEmpty()) {
      R next = gate.held.poll();
      Gate<R> closed = gates.get(partition);
      if (closed != null) {
        closed.held.add(next);
      } else {
        admit.accept(partition, next);
      }
    }
    return true;
  }

  /** The gates that wait for room in {@code lane}. */
  public List<Map.Entry<P, Gate<R>>> waitingFor(Lane lane) {
    List<Map.Entry<P, Gate<R>>> waiting = new ArrayList<>();
    gates.forEach((partition, gate) -> {
      if (lane.equals(gate.lane)) {
        waiting.add(Map.entry(partition, gate));
      }
    });
    return waiting;
  }

  /**
   * Drops the partition's gate and its held records (a revoke: they were never worked on nor
   * committed, and the partition's next reader gets them).
   *
   * @return the dropped gate, or null
   */
  public Gate<R> drop(P partition) {
    Gate<R> gate = gates.remove(partition);
    if (gate != null) {
      onChange.run();
    }
    return gate;
  }

  /** Drops every gate (stopping); returns them. */
  public List<Gate<R>> dropAll() {
    List<Gate<R>> dropped = new ArrayList<>(gates.values());
    gates.clear();
    onChange.run();
    return dropped;
  }

  /** The partitions whose gate is closed (a live view). */
  public Set<P> closed() {
    return gates.keySet();
  }

  /** For the gauge: how many partitions wait. */
  public int size() {
    return gates.size();
  }

  /** Records held behind all gates. */
  public int held() {
    int held = 0;
    for (Gate<R> gate : gates.values()) {
      held += gate.held.size();
    }
    return held;
  }
}
