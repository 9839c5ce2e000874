package io.postroom.dispatcher.lanes;

import static io.postroom.dispatcher.lanes.LaneFixtures.drain;
import static io.postroom.dispatcher.lanes.LaneFixtures.offer;
import static io.postroom.dispatcher.lanes.LaneFixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.lanes.LaneFixtures.TestJob;
import org.junit.jupiter.api.Test;

/** Tenants come and go: state is kept for non-empty lanes only. */
class LaneLifecycleTest {
  private static final Lane SHOP = new Lane(Priority.BULK, "shop");
  private static final Lane NEWSLETTER = new Lane(Priority.BULK, "newsletter");

  private final LaneScheduler<TestJob> scheduler = LaneFixtures.scheduler();

  @Test
  void aLaneIsKeptWhileItHoldsJobs() {
    offer(scheduler, SHOP, "shop", 2, 1);

    poll(scheduler, 1);

    assertThat(scheduler.activeLanes()).isEqualTo(1);
  }

  @Test
  void aLaneIsForgottenOnceItsLastJobIsPolled() {
    offer(scheduler, SHOP, "shop", 2, 1);

    poll(scheduler, 2);

    assertThat(scheduler.activeLanes()).isZero();
  }

  @Test
  void tenantsThatCameAndWentLeaveNothingBehind() {
    for (int i = 0; i < 1_000; i++) {
      offer(scheduler, new Lane(Priority.values()[i % 3], "tenant-" + i), "job", 2, 1);
    }

    drain(scheduler);

    assertThat(scheduler.activeLanes()).isZero();
    assertThat(scheduler.size()).isZero();
  }

  /**
   * The shop (weight 3) spends 1 of its quantum of 3 and empties; had it kept the other 2, its job
   * costing 5 would be affordable at its next turn and go before newsletter-2.
   */
  @Test
  void aTenantThatComesBackStartsWithoutCreditSavedFromBefore() {
    LaneScheduler<TestJob> scheduler =
        new LaneScheduler<>(100, TestJob::cost, tenant -> tenant.equals("shop") ? 3 : 1);
    offer(scheduler, SHOP, "early", 1, 1);
    poll(scheduler, 1);

    offer(scheduler, NEWSLETTER, "newsletter", 2, 1);
    offer(scheduler, SHOP, "shop", 1, 5);

    assertThat(drain(scheduler)).containsExactly("newsletter-1", "newsletter-2", "shop-1");
  }

  @Test
  void aTenantsWeightIsAskedWhenItsLaneBecomesNonEmpty() {
    int[] weight = {1};
    LaneScheduler<TestJob> scheduler = new LaneScheduler<>(100, TestJob::cost, tenant ->
        tenant.equals("shop") ? weight[0] : 1);
    offer(scheduler, SHOP, "early", 1, 1);
    poll(scheduler, 1);
    weight[0] = 2;

    offer(scheduler, SHOP, "shop", 2, 1);
    offer(scheduler, NEWSLETTER, "newsletter", 2, 1);

    assertThat(drain(scheduler)).containsExactly("shop-1", "shop-2", "newsletter-1", "newsletter-2");
  }
}
