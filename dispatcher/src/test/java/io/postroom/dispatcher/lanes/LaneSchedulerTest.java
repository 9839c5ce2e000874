package io.postroom.dispatcher.lanes;

import static io.postroom.dispatcher.lanes.LaneFixtures.drain;
import static io.postroom.dispatcher.lanes.LaneFixtures.offer;
import static io.postroom.dispatcher.lanes.LaneFixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.lanes.LaneFixtures.TestJob;
import org.junit.jupiter.api.Test;

/** The scheduler's contract apart from priority, fairness, capacity and forgetting. */
class LaneSchedulerTest {
  private static final Lane SHOP = new Lane(Priority.BULK, "shop");
  private static final Lane NEWSLETTER = new Lane(Priority.NORMAL, "newsletter");

  private final LaneScheduler<TestJob> scheduler = LaneFixtures.scheduler();

  @Test
  void nothingIsPolledWhenNoJobWaits() {
    assertThat(scheduler.poll()).isEmpty();
    assertThat(scheduler.size()).isZero();
  }

  @Test
  void jobsOfOneLaneLeaveInTheOrderTheyArrived() {
    offer(scheduler, SHOP, "shop", 5, 1);

    assertThat(drain(scheduler)).containsExactly("shop-1", "shop-2", "shop-3", "shop-4", "shop-5");
  }

  @Test
  void sizeCountsTheJobsWaitingInAllLanesAndInEach() {
    offer(scheduler, SHOP, "shop", 3, 1);
    offer(scheduler, NEWSLETTER, "newsletter", 2, 1);
    poll(scheduler, 1);

    assertThat(scheduler.size()).isEqualTo(4);
    assertThat(scheduler.size(SHOP)).isEqualTo(3);
    assertThat(scheduler.size(NEWSLETTER)).isEqualTo(1);
    assertThat(scheduler.size(new Lane(Priority.HIGH, "shop"))).isZero();
  }

  @Test
  void aJobCostingLessThanOneIsRefusedAndLeavesNoTrace() {
    assertThatThrownBy(() -> scheduler.offer(SHOP, new TestJob("free", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the cost of a job must be at least 1, was 0");

    assertThat(scheduler.size()).isZero();
    assertThat(scheduler.activeLanes()).isZero();
  }

  @Test
  void aTenantWeighingLessThanOneIsRefusedByName() {
    LaneScheduler<TestJob> scheduler = new LaneScheduler<>(100, TestJob::cost, tenant -> 0);

    assertThatThrownBy(() -> scheduler.offer(SHOP, new TestJob("shop-1", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the weight of tenant 'shop' must be at least 1, was 0");
    assertThat(scheduler.activeLanes()).isZero();
  }

  @Test
  void aLaneCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new LaneScheduler<TestJob>(0, TestJob::cost))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("laneCapacity must be at least 1, was 0");
  }

  @Test
  void aQuantumBelowOneIsRefused() {
    assertThatThrownBy(() -> new LaneScheduler<TestJob>(1, TestJob::cost, tenant -> 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quantum must be at least 1, was 0");
  }
}
