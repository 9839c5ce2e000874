package io.postroom.dispatcher.lanes;

import static io.postroom.dispatcher.lanes.LaneFixtures.offer;
import static io.postroom.dispatcher.lanes.LaneFixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.lanes.LaneFixtures.TestJob;
import org.junit.jupiter.api.Test;

/** A lane holds at most laneCapacity jobs and says when it is full; the caller pauses its feed. */
class LaneCapacityTest {
  private static final Lane SHOP = new Lane(Priority.BULK, "shop");
  private static final Lane SHOP_HIGH = new Lane(Priority.HIGH, "shop");
  private static final Lane NEWSLETTER = new Lane(Priority.BULK, "newsletter");

  private final LaneScheduler<TestJob> scheduler = new LaneScheduler<>(3, TestJob::cost);

  @Test
  void aLaneIsNotFullBelowItsCapacity() {
    offer(scheduler, SHOP, "shop", 2, 1);

    assertThat(scheduler.isFull(SHOP)).isFalse();
    assertThat(scheduler.fullLanes()).isEmpty();
  }

  @Test
  void aLaneHoldingLaneCapacityJobsIsReportedFull() {
    offer(scheduler, SHOP, "shop", 3, 1);

    assertThat(scheduler.isFull(SHOP)).isTrue();
    assertThat(scheduler.fullLanes()).containsExactly(SHOP);
  }

  @Test
  void aFullLaneRefusesAJobAndDoesNotQueueIt() {
    offer(scheduler, SHOP, "shop", 3, 1);

    assertThat(scheduler.offer(SHOP, new TestJob("shop-4", 1))).isFalse();

    assertThat(scheduler.size(SHOP)).isEqualTo(3);
    assertThat(scheduler.size()).isEqualTo(3);
  }

  @Test
  void pollingAJobOfAFullLaneFreesASlot() {
    offer(scheduler, SHOP, "shop", 3, 1);

    poll(scheduler, 1);

    assertThat(scheduler.isFull(SHOP)).isFalse();
    assertThat(scheduler.fullLanes()).isEmpty();
    assertThat(scheduler.offer(SHOP, new TestJob("shop-4", 1))).isTrue();
  }

  @Test
  void aFullLaneDoesNotStopOtherTenantsOrPrioritiesFromQueueing() {
    offer(scheduler, SHOP, "shop", 3, 1);

    assertThat(scheduler.offer(NEWSLETTER, new TestJob("newsletter-1", 1))).isTrue();
    assertThat(scheduler.offer(SHOP_HIGH, new TestJob("high-1", 1))).isTrue();
    assertThat(scheduler.fullLanes()).containsExactly(SHOP);
  }

  @Test
  void fullLanesNamesEveryFullLane() {
    offer(scheduler, SHOP, "shop", 3, 1);
    offer(scheduler, NEWSLETTER, "newsletter", 3, 1);
    offer(scheduler, SHOP_HIGH, "high", 1, 1);

    assertThat(scheduler.fullLanes()).containsExactlyInAnyOrder(SHOP, NEWSLETTER);
  }

  @Test
  void capacityCountsJobsNotTheirCost() {
    offer(scheduler, SHOP, "shop", 2, 1_000);

    assertThat(scheduler.offer(SHOP, new TestJob("shop-3", 1_000))).isTrue();
    assertThat(scheduler.isFull(SHOP)).isTrue();
  }
}
