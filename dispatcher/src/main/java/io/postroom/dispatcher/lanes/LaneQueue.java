package io.postroom.dispatcher.lanes;

import java.util.ArrayDeque;

/**
 * One lane's waiting items in arrival order, with the lane's deficit: the cost it may still spend
 * in its current turn of the round. The cost is kept with each item so that an item is charged
 * what it was judged to cost when it was offered, however the item changes while it waits.
 */
final class LaneQueue<T> {
  private record Waiting<T>(T item, int cost) {}

  private final Lane lane;
  private final long quantum;
  private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
  private long deficit;

  LaneQueue(Lane lane, long quantum) {
    this.lane = lane;
    this.quantum = quantum;
  }

  Lane lane() {
    return lane;
  }

  int size() {
    return waiting.size();
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  void add(T item, int cost) {
    waiting.addLast(new Waiting<>(item, cost));
  }

  /** The lane's turn has come round again: it may spend one more quantum. */
  void credit() {
    deficit += quantum;
  }

  /** As if the lane had been credited in {@code turns} turns in which nothing was served. */
  void credit(long turns) {
    deficit += turns * quantum;
  }

  boolean canAffordHead() {
    return waiting.peekFirst().cost() <= deficit;
  }

  /** How many more credits the lane needs before it can afford its head item (at least 1). */
  long creditsToAffordHead() {
    long shortfall = waiting.peekFirst().cost() - deficit;
    return (shortfall + quantum - 1) / quantum;
  }

  /** Takes the head item and pays for it; the caller has checked that the lane can afford it. */
  T take() {
    Waiting<T> head = waiting.pollFirst();
    deficit -= head.cost();
    return head.item();
  }
}
