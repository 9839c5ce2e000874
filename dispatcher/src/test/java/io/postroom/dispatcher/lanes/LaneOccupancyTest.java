package io.postroom.dispatcher.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.postroom.contract.Priority;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LaneOccupancyTest {
  private static final Lane BILLING = new Lane(Priority.NORMAL, "billing");
  private static final Lane BILLING_BULK = new Lane(Priority.BULK, "billing");
  private static final Lane ALERTS = new Lane(Priority.NORMAL, "alerts");

  private final LaneOccupancy occupancy = new LaneOccupancy(2);
  private final List<Lane> toldRoom = new ArrayList<>();

  @BeforeEach
  void listen() {
    occupancy.onRoom(toldRoom::add);
  }

  @Test
  void anEmptyLaneIsNotFull() {
    assertThat(occupancy.full(BILLING)).isFalse();
    assertThat(occupancy.jobs(BILLING)).isZero();
  }

  @Test
  void aLaneBelowCapacityIsNotFull() {
    occupancy.enter(BILLING);

    assertThat(occupancy.full(BILLING)).isFalse();
    assertThat(occupancy.jobs(BILLING)).isEqualTo(1);
  }

  @Test
  void aLaneAtCapacityIsFull() {
    occupancy.enter(BILLING);
    occupancy.enter(BILLING);

    assertThat(occupancy.full(BILLING)).isTrue();
  }

  @Test
  void aFullLaneLeavesOtherLanesRoom() {
    occupancy.enter(BILLING);
    occupancy.enter(BILLING);

    assertThat(occupancy.full(BILLING_BULK)).isFalse();
    assertThat(occupancy.full(ALERTS)).isFalse();
    assertThat(occupancy.jobs(ALERTS)).isZero();
  }

  @Test
  void aFullLaneThatLosesAJobHasRoomAndIsToldSo() {
    occupancy.enter(BILLING);
    occupancy.enter(BILLING);

    occupancy.leave(BILLING);

    assertThat(occupancy.full(BILLING)).isFalse();
    assertThat(toldRoom).containsExactly(BILLING);
  }

  @Test
  void aLaneThatWasNotFullIsNotToldWhenAJobLeaves() {
    occupancy.enter(BILLING);

    occupancy.leave(BILLING);

    assertThat(occupancy.jobs(BILLING)).isZero();
    assertThat(toldRoom).isEmpty();
  }

  @Test
  void aLaneThatStaysFullIsNotToldUntilItDropsBelowCapacity() {
    occupancy.enter(BILLING);
    occupancy.enter(BILLING);
    occupancy.enter(BILLING);

    occupancy.leave(BILLING);
    assertThat(occupancy.full(BILLING)).isTrue();
    assertThat(toldRoom).isEmpty();

    occupancy.leave(BILLING);
    assertThat(toldRoom).containsExactly(BILLING);
  }

  @Test
  void aLaneIsToldAgainEachTimeItFillsAndGetsRoom() {
    occupancy.enter(BILLING);
    occupancy.enter(BILLING);
    occupancy.leave(BILLING);
    occupancy.enter(BILLING);
    occupancy.leave(BILLING);

    assertThat(toldRoom).containsExactly(BILLING, BILLING);
  }

  @Test
  void onlyTheLaneThatGotRoomIsTold() {
    occupancy.enter(BILLING);
    occupancy.enter(BILLING);
    occupancy.enter(ALERTS);
    occupancy.enter(ALERTS);

    occupancy.leave(ALERTS);

    assertThat(toldRoom).containsExactly(ALERTS);
    assertThat(occupancy.full(BILLING)).isTrue();
  }

  @Test
  void aJobLeavingAnUnknownLaneChangesNothing() {
    occupancy.leave(BILLING);

    assertThat(occupancy.jobs(BILLING)).isZero();
    assertThat(toldRoom).isEmpty();
  }

  @Test
  void aLaneOfCapacityOneIsFullWithOneJobAndToldWhenItLeaves() {
    LaneOccupancy single = new LaneOccupancy(1);
    List<Lane> told = new ArrayList<>();
    single.onRoom(told::add);

    single.enter(BILLING);
    assertThat(single.full(BILLING)).isTrue();

    single.leave(BILLING);
    assertThat(single.full(BILLING)).isFalse();
    assertThat(told).containsExactly(BILLING);
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new LaneOccupancy(0));
    assertThatIllegalArgumentException().isThrownBy(() -> new LaneOccupancy(-1));
  }
}
