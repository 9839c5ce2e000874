package io.postroom.dispatcher.lanes;

import java.util.ArrayDeque;

/**
 * Deficit round robin between the non-empty lanes of one priority (Shreedhar and Varghese, 1995).
 * Each turn credits the lane with its quantum, and the lane is served while its deficit covers the
 * cost of its head item; then the turn passes to the next lane. A lane that empties leaves the round
 * and its deficit goes with it, so that credit cannot be saved up while idle. A lane that becomes
 * non-empty joins at the end of the round, behind the lanes already waiting.
 *
 * <p>Items that cost many quanta would take as many empty passes of the round before they are
 * served; those passes are skipped in one step so that a take never costs more than two passes.
 */
final class Round<T> {
  /** An item taken from the round, and the lane it was taken from. */
  record Served<T>(Lane lane, T item) {}

  /** The lane at the head has the turn; the others wait in the order of the round. */
  private final ArrayDeque<LaneQueue<T>> lanes = new ArrayDeque<>();
  /** Whether the lane at the head has already been credited for its current turn. */
  private boolean headCredited;

  boolean isEmpty() {
    return lanes.isEmpty();
  }

  /** A lane with its first waiting item joins the round. */
  void join(LaneQueue<T> lane) {
    lanes.addLast(lane);
  }

  /** The next item by deficit round robin; the round must not be empty. */
  Served<T> take() {
    int turnsEndedUnserved = 0;
    while (true) {
      LaneQueue<T> head = lanes.peekFirst();
      if (!headCredited) {
        head.credit();
        headCredited = true;
      }
      if (head.canAffordHead()) {
        T item = head.take();
        if (head.isEmpty()) {
          lanes.pollFirst();
          headCredited = false;
        }
        return new Served<>(head.lane(), item);
      }
      passTurn();
      if (++turnsEndedUnserved == lanes.size()) {
        skipPassesInWhichNoLaneCanBeServed();
      }
    }
  }

  private void passTurn() {
    lanes.addLast(lanes.pollFirst());
    headCredited = false;
  }

  /**
   * Every lane has had a turn without being served. The passes until the first lane can be served
   * would change nothing but the deficits, so credit those passes at once: the next pass then serves
   * the same lane, in the same order, as playing them out would.
   */
  private void skipPassesInWhichNoLaneCanBeServed() {
    long passes = Long.MAX_VALUE;
    for (LaneQueue<T> lane : lanes) {
      passes = Math.min(passes, lane.creditsToAffordHead());
    }
    for (LaneQueue<T> lane : lanes) {
      lane.credit(passes - 1);
    }
  }
}
