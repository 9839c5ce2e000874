package io.postroom.dispatcher.lanes;

import static io.postroom.dispatcher.lanes.LaneFixtures.countOf;
import static io.postroom.dispatcher.lanes.LaneFixtures.drain;
import static io.postroom.dispatcher.lanes.LaneFixtures.offer;
import static io.postroom.dispatcher.lanes.LaneFixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.lanes.LaneFixtures.TestJob;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deficit round robin between the tenants of one priority. */
class FairShareTest {
  private static final Lane SHOP = new Lane(Priority.BULK, "shop");
  private static final Lane NEWSLETTER = new Lane(Priority.BULK, "newsletter");
  private static final Lane INVOICES = new Lane(Priority.BULK, "invoices");

  private final LaneScheduler<TestJob> scheduler = LaneFixtures.scheduler();

  @Test
  void twoTenantsWhoseJobsCostTheSameTakeTurns() {
    offer(scheduler, SHOP, "shop", 3, 1);
    offer(scheduler, NEWSLETTER, "newsletter", 3, 1);

    assertThat(drain(scheduler)).containsExactly(
        "shop-1", "newsletter-1", "shop-2", "newsletter-2", "shop-3", "newsletter-3");
  }

  /** With equal costs and weights a newcomer waits for at most one job of the other per own job. */
  @Test
  void aHundredJobsOfferedBehindTenThousandQueuedAreAllSentWithinTheNextTwoHundredPolls() {
    LaneScheduler<TestJob> scheduler = new LaneScheduler<>(10_000, TestJob::cost);
    offer(scheduler, SHOP, "shop", 10_000, 1);
    poll(scheduler, 500);

    offer(scheduler, NEWSLETTER, "newsletter", 100, 1);
    List<String> next200 = poll(scheduler, 200);

    assertThat(countOf(next200, "newsletter")).isEqualTo(100);
    assertThat(countOf(next200, "shop")).isEqualTo(100);
    assertThat(scheduler.size(NEWSLETTER)).isZero();
  }

  @Test
  void aTenantOfWeightThreeGetsThreeJobsForEachJobOfATenantOfWeightOne() {
    LaneScheduler<TestJob> scheduler =
        new LaneScheduler<>(1_000, TestJob::cost, tenant -> tenant.equals("shop") ? 3 : 1);
    offer(scheduler, SHOP, "shop", 1_000, 1);
    offer(scheduler, NEWSLETTER, "newsletter", 1_000, 1);

    List<String> first400 = poll(scheduler, 400);

    assertThat(first400.subList(0, 8)).containsExactly(
        "shop-1", "shop-2", "shop-3", "newsletter-1", "shop-4", "shop-5", "shop-6", "newsletter-2");
    assertThat(countOf(first400, "shop")).isEqualTo(300);
    assertThat(countOf(first400, "newsletter")).isEqualTo(100);
  }

  @Test
  void aLargerQuantumServesEachTenantInLongerBursts() {
    LaneScheduler<TestJob> scheduler = new LaneScheduler<>(100, TestJob::cost, tenant -> 1, 2);
    offer(scheduler, SHOP, "shop", 4, 1);
    offer(scheduler, NEWSLETTER, "newsletter", 4, 1);

    assertThat(poll(scheduler, 6)).containsExactly(
        "shop-1", "shop-2", "newsletter-1", "newsletter-2", "shop-3", "shop-4");
  }

  @Test
  void aJobCostingMoreThanTheQuantumIsSentOnceItsTenantHasSavedEnoughTurns() {
    offer(scheduler, SHOP, "shop", 1, 5);
    offer(scheduler, NEWSLETTER, "newsletter", 10, 1);

    assertThat(poll(scheduler, 6)).containsExactly(
        "newsletter-1", "newsletter-2", "newsletter-3", "newsletter-4", "shop-1", "newsletter-5");
  }

  @Test
  void tenantsShareInUnitsOfCostNotInNumbersOfJobs() {
    offer(scheduler, SHOP, "shop", 100, 5);
    offer(scheduler, NEWSLETTER, "newsletter", 100, 1);

    List<String> first60 = poll(scheduler, 60);

    assertThat(countOf(first60, "shop") * 5).isEqualTo(50);
    assertThat(countOf(first60, "newsletter") * 1).isEqualTo(50);
  }

  /** Playing out a billion empty turns one by one would take seconds. */
  @Test
  @Timeout(value = 1, unit = TimeUnit.SECONDS)
  void aJobCostingABillionQuantaIsSentWithoutPlayingOutEveryTurn() {
    offer(scheduler, SHOP, "shop", 1, 1_000_000_000);
    offer(scheduler, NEWSLETTER, "newsletter", 2, 1);

    assertThat(drain(scheduler)).containsExactly("newsletter-1", "newsletter-2", "shop-1");
  }

  @Test
  void aTenantThatBecomesActiveWaitsBehindTheTenantsAlreadyInTheRound() {
    offer(scheduler, SHOP, "shop", 2, 1);
    offer(scheduler, NEWSLETTER, "newsletter", 2, 1);
    poll(scheduler, 1);

    offer(scheduler, INVOICES, "invoices", 2, 1);

    assertThat(drain(scheduler)).containsExactly(
        "newsletter-1", "invoices-1", "shop-2", "newsletter-2", "invoices-2");
  }
}
