package io.postroom.dispatcher.lanes;

import static io.postroom.dispatcher.lanes.LaneFixtures.drain;
import static io.postroom.dispatcher.lanes.LaneFixtures.offer;
import static io.postroom.dispatcher.lanes.LaneFixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.lanes.LaneFixtures.TestJob;
import org.junit.jupiter.api.Test;

class StrictPriorityTest {
  private static final Lane SHOP_HIGH = new Lane(Priority.HIGH, "shop");
  private static final Lane SHOP_NORMAL = new Lane(Priority.NORMAL, "shop");
  private static final Lane SHOP_BULK = new Lane(Priority.BULK, "shop");
  private static final Lane NEWSLETTER_NORMAL = new Lane(Priority.NORMAL, "newsletter");

  private final LaneScheduler<TestJob> scheduler = LaneFixtures.scheduler();

  @Test
  void highGoesBeforeNormalAndNormalBeforeBulkWhateverTheOrderOfArrival() {
    offer(scheduler, SHOP_BULK, "bulk", 2, 1);
    offer(scheduler, SHOP_NORMAL, "normal", 2, 1);
    offer(scheduler, SHOP_HIGH, "high", 2, 1);

    assertThat(drain(scheduler))
        .containsExactly("high-1", "high-2", "normal-1", "normal-2", "bulk-1", "bulk-2");
  }

  @Test
  void aHighJobArrivingWhileBulkIsBeingSentIsSentNext() {
    offer(scheduler, SHOP_BULK, "bulk", 3, 1);
    poll(scheduler, 1);

    offer(scheduler, SHOP_HIGH, "high", 1, 1);

    assertThat(drain(scheduler)).containsExactly("high-1", "bulk-2", "bulk-3");
  }

  @Test
  void fairnessBetweenTenantsDoesNotReachAcrossPriorities() {
    offer(scheduler, SHOP_HIGH, "shop", 3, 1);
    offer(scheduler, NEWSLETTER_NORMAL, "newsletter", 1, 1);

    assertThat(drain(scheduler)).containsExactly("shop-1", "shop-2", "shop-3", "newsletter-1");
  }

  @Test
  void aLowerPriorityKeepsItsPlaceInTheRoundWhileAHigherOneIsServed() {
    Lane newsletterBulk = new Lane(Priority.BULK, "newsletter");
    offer(scheduler, SHOP_BULK, "shop", 2, 1);
    offer(scheduler, newsletterBulk, "newsletter", 2, 1);
    poll(scheduler, 1);

    offer(scheduler, SHOP_HIGH, "high", 1, 1);

    assertThat(drain(scheduler)).containsExactly("high-1", "newsletter-1", "shop-2", "newsletter-2");
  }
}
