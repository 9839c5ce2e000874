package io.postroom.dispatcher.lanes;

import io.postroom.contract.Priority;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Which job is sent next. Jobs wait in {@link Lane}s, one per priority and tenant. Priorities are
 * strict: a job of a higher priority always goes before any job of a lower one. Within a priority,
 * tenants share by deficit round robin, in units of the cost of their jobs, so that a tenant with a
 * million waiting jobs cannot starve another tenant's jobs of the same priority; a tenant's share is
 * its weight.
 *
 * <p>Memory stays bounded: a lane holds at most {@code laneCapacity} jobs and refuses more, and a
 * lane that empties is forgotten. The scheduler only reports which lanes are full; pausing and
 * resuming the partitions that feed them is the caller's business.
 *
 * <p>Not thread-safe: confined to the event loop of the dispatcher that owns it.
 */
public final class LaneScheduler<T> {
  private static final Priority[] HIGHEST_FIRST = Priority.values();

  private final int laneCapacity;
  private final ToIntFunction<T> cost;
  private final ToIntFunction<String> weightOfTenant;
  private final int quantum;

  private final Map<Lane, LaneQueue<T>> lanes = new HashMap<>();
  private final Map<Priority, Round<T>> rounds = new EnumMap<>(Priority.class);
  private final Set<Lane> fullLanes = new HashSet<>();
  private int size;

  /** Every tenant weighs the same; the quantum is one unit of cost. */
  public LaneScheduler(int laneCapacity, ToIntFunction<T> cost) {
    this(laneCapacity, cost, tenant -> 1);
  }

  /** The quantum is one unit of cost, times the tenant's weight. */
  public LaneScheduler(int laneCapacity, ToIntFunction<T> cost, ToIntFunction<String> weightOfTenant) {
    this(laneCapacity, cost, weightOfTenant, 1);
  }

  /**
   * @param laneCapacity the most jobs one lane holds
   * @param cost what sending a job costs, at least 1 (for instance 1 per message, or its recipients)
   * @param weightOfTenant a tenant's share relative to others of the same priority, at least 1;
   *     asked when the tenant's lane becomes non-empty
   * @param quantum the cost a lane of weight 1 may spend per turn; larger quanta serve each lane in
   *     longer bursts
   */
  public LaneScheduler(
      int laneCapacity, ToIntFunction<T> cost, ToIntFunction<String> weightOfTenant, int quantum) {
    if (laneCapacity < 1) {
      throw new IllegalArgumentException("laneCapacity must be at least 1, was " + laneCapacity);
    }
    if (quantum < 1) {
      throw new IllegalArgumentException("quantum must be at least 1, was " + quantum);
    }
    this.laneCapacity = laneCapacity;
    this.cost = Objects.requireNonNull(cost, "cost");
    this.weightOfTenant = Objects.requireNonNull(weightOfTenant, "weightOfTenant");
    this.quantum = quantum;
    for (Priority priority : HIGHEST_FIRST) {
      rounds.put(priority, new Round<>());
    }
  }

  /**
   * Queues a job at the end of its lane.
   *
   * @return false, and the job is not queued, if the lane is full
   */
  public boolean offer(Lane lane, T item) {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(item, "item");
    LaneQueue<T> queue = lanes.get(lane);
    if (queue != null && queue.size() >= laneCapacity) {
      return false;
    }
    // Judged before anything changes, so that a rejected cost or weight leaves no trace.
    int itemCost = costOf(item);
    if (queue == null) {
      queue = new LaneQueue<>(lane, quantumOf(lane.tenant()));
      lanes.put(lane, queue);
      rounds.get(lane.priority()).join(queue);
    }
    queue.add(item, itemCost);
    size++;
    if (queue.size() == laneCapacity) {
      fullLanes.add(lane);
    }
    return true;
  }

  /** The next job to send, taken from its lane; empty if no job waits. */
  public Optional<T> poll() {
    for (Priority priority : HIGHEST_FIRST) {
      Round<T> round = rounds.get(priority);
      if (!round.isEmpty()) {
        Round.Served<T> served = round.take();
        forgetIfEmpty(served.lane());
        fullLanes.remove(served.lane());
        size--;
        return Optional.of(served.item());
      }
    }
    return Optional.empty();
  }

  /** Whether the lane refuses further jobs until one of its jobs is polled. */
  public boolean isFull(Lane lane) {
    return fullLanes.contains(lane);
  }

  /** The lanes that refuse further jobs, as of now (a copy). */
  public Set<Lane> fullLanes() {
    return Set.copyOf(fullLanes);
  }

  /** Jobs waiting, over all lanes. */
  public int size() {
    return size;
  }

  /** Jobs waiting in one lane. */
  public int size(Lane lane) {
    LaneQueue<T> queue = lanes.get(lane);
    return queue == null ? 0 : queue.size();
  }

  /** Lanes the scheduler keeps state for; only non-empty lanes are kept. */
  int activeLanes() {
    return lanes.size();
  }

  private void forgetIfEmpty(Lane lane) {
    if (lanes.get(lane).isEmpty()) {
      lanes.remove(lane);
    }
  }

  private int costOf(T item) {
    int itemCost = cost.applyAsInt(item);
    if (itemCost < 1) {
      // A job that costs nothing could be served without end and starve the lane's neighbours.
      throw new IllegalArgumentException("the cost of a job must be at least 1, was " + itemCost);
    }
    return itemCost;
  }

  private long quantumOf(String tenant) {
    int weight = weightOfTenant.applyAsInt(tenant);
    if (weight < 1) {
      throw new IllegalArgumentException("the weight of tenant '" + tenant
          + "' must be at least 1, was " + weight);
    }
    return (long) weight * quantum;
  }
}
