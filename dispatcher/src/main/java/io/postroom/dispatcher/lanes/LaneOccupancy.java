package io.postroom.dispatcher.lanes;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How many jobs of each lane this dispatcher holds, from the moment it takes one on to its
 * durable outcome, and whether a lane is full. A full lane's further jobs go to its lane topic
 * ({@link LaneTopics}) rather than into memory; when a full lane gets room again, whoever waits for
 * it is told.
 *
 * <p>Event-loop confined.
 */
public final class LaneOccupancy {
  private final int capacity;
  private final Map<Lane, Integer> jobs = new HashMap<>();
  private Consumer<Lane> onRoom = lane -> { };

  /** @param capacity jobs one lane may hold, at least 1 */
  public LaneOccupancy(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Told the lane whenever a full lane gets room for one more job. */
  public void onRoom(Consumer<Lane> listener) {
    this.onRoom = listener;
  }

  public boolean full(Lane lane) {
    return jobs.getOrDefault(lane, 0) >= capacity;
  }

  public void enter(Lane lane) {
    jobs.merge(lane, 1, Integer::sum);
  }

  public void leave(Lane lane) {
    Integer before = jobs.get(lane);
    if (before == null) {
      return;
    }
    if (before <= 1) {
      jobs.remove(lane);
    } else {
      jobs.put(lane, before - 1);
    }
    if (before == capacity) {
      onRoom.accept(lane);
    }
  }

  public int jobs(Lane lane) {
    return jobs.getOrDefault(lane, 0);
  }
}
