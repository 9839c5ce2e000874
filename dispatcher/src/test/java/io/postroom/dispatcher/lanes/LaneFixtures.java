package io.postroom.dispatcher.lanes;

import java.util.ArrayList;
import java.util.List;

/** What the lane tests queue, and the few moves they all make with it. */
final class LaneFixtures {
  private LaneFixtures() {}

  /** A job reduced to what scheduling sees: a name to check the order by, and a cost. */
  record TestJob(String name, int cost) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Lanes of capacity 100, every job costs its {@link TestJob#cost()}, every tenant weighs 1. */
  static LaneScheduler<TestJob> scheduler() {
    return new LaneScheduler<>(100, TestJob::cost);
  }

  /** Offers {@code count} jobs named {@code name-1 .. name-count}, each costing {@code cost}. */
  static void offer(LaneScheduler<TestJob> scheduler, Lane lane, String name, int count, int cost) {
    for (int i = 1; i <= count; i++) {
      if (!scheduler.offer(lane, new TestJob(name + "-" + i, cost))) {
        throw new AssertionError("lane " + lane + " refused " + name + "-" + i);
      }
    }
  }

  /** The names of the next {@code count} jobs polled; fails if fewer wait. */
  static List<String> poll(LaneScheduler<TestJob> scheduler, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(scheduler.poll().orElseThrow().name());
    }
    return names;
  }

  /** The names of the jobs polled until none is left. */
  static List<String> drain(LaneScheduler<TestJob> scheduler) {
    List<String> names = new ArrayList<>();
    while (scheduler.size() > 0) {
      names.add(scheduler.poll().orElseThrow().name());
    }
    return names;
  }

  /** How many of the names start with {@code name-}. */
  static long countOf(List<String> names, String name) {
    return names.stream().filter(n -> n.startsWith(name + "-")).count();
  }
}
