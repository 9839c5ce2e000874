package io.postroom.dispatcher.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which partitions the consumer pauses, with an in-flight bound of 100 and partitions "a", "b", "c". */
class FlowControlTest {
  private static final int BOUND = 100;
  private static final Set<String> ASSIGNED = Set.of("a", "b", "c");

  private boolean relayUp = true;
  private final Set<String> gated = new HashSet<>();
  private final FlowControl<String> flow = new FlowControl<>(BOUND, () -> relayUp);

  private FlowControl.Change<String> working(int jobs) {
    return flow.update(jobs, 0, false, ASSIGNED, gated);
  }

  @Test
  void nothingIsPausedBelowTheBound() {
    flow.assigned(ASSIGNED);

    FlowControl.Change<String> change = working(BOUND - 1);

    assertThat(change.pause()).isEmpty();
    assertThat(flow.paused()).isFalse();
  }

  @Test
  void everyAssignedPartitionIsPausedWhenTheJobsInFlightReachTheBound() {
    working(0);

    assertThat(working(BOUND).pause()).containsExactlyInAnyOrderElementsOf(ASSIGNED);
    assertThat(flow.pausedPartitions()).isEqualTo(3);
  }

  @Test
  void pausedPartitionsStayPausedAboveThreeQuartersOfTheBound() {
    working(BOUND);

    assertThat(working(BOUND * 3 / 4 + 1)).isNull();
    assertThat(flow.paused()).isTrue();
  }

  @Test
  void pausedPartitionsResumeAtThreeQuartersOfTheBound() {
    working(BOUND);

    assertThat(working(BOUND * 3 / 4).resume()).containsExactlyInAnyOrderElementsOf(ASSIGNED);
    assertThat(flow.paused()).isFalse();
  }

  @Test
  void jobsBeingMovedAreBoundedApartFromJobsBeingWorkedOn() {
    flow.update(BOUND - 1, BOUND - 1, false, ASSIGNED, gated);
    assertThat(flow.paused()).isFalse();

    assertThat(flow.update(0, BOUND, false, ASSIGNED, gated).pause()).containsExactlyInAnyOrderElementsOf(ASSIGNED);
  }

  @Test
  void everyPartitionIsPausedWhileNoRelayCanTakeMailAndResumedWhenOneCan() {
    relayUp = false;
    assertThat(working(0).pause()).containsExactlyInAnyOrderElementsOf(ASSIGNED);

    relayUp = true;
    assertThat(working(0).resume()).containsExactlyInAnyOrderElementsOf(ASSIGNED);
  }

  @Test
  void everyPartitionIsPausedWhenStopping() {
    assertThat(flow.update(0, 0, true, ASSIGNED, gated).pause()).containsExactlyInAnyOrderElementsOf(ASSIGNED);
  }

  @Test
  void onlyPartitionsBehindAClosedGateArePausedBelowTheBound() {
    gated.add("b");
    flow.changed();

    assertThat(working(0).pause()).containsExactly("b");
  }

  @Test
  void aPartitionIsResumedWhenItsGateOpens() {
    gated.add("b");
    flow.changed();
    working(0);

    gated.remove("b");
    flow.changed();

    assertThat(working(0).resume()).containsExactly("b");
  }

  @Test
  void aGatedPartitionStaysPausedWhenBackpressureEnds() {
    gated.add("b");
    flow.changed();
    working(BOUND);

    FlowControl.Change<String> change = working(0);

    assertThat(change.resume()).containsExactlyInAnyOrder("a", "c");
    assertThat(flow.pausedPartitions()).isEqualTo(1);
  }

  @Test
  void nothingToChangeIsAnsweredWithoutAChange() {
    working(0);

    assertThat(working(10)).isNull();
  }

  @Test
  void newlyAssignedPartitionsWaitBehindTheirGatesUntilTheStatusTopicWasRead() {
    PartitionGates<String, String> gates = new PartitionGates<>(flow::changed);
    flow.assigned(ASSIGNED);
    var learning = gates.closeUntilLearned(List.of("a", "b"));

    assertThat(flow.update(0, 0, false, ASSIGNED, gates.closed()).pause()).containsExactlyInAnyOrder("a", "b");

    learning.forEach((partition, gate) -> gates.open(partition, gate, (p, record) -> { }));

    assertThat(flow.update(0, 0, false, ASSIGNED, gates.closed()).resume()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aPartitionAssignedAgainStartsUnpausedInTheConsumerAndIsPausedAgainIfNeeded() {
    working(BOUND);
    flow.revoked(List.of("a"));
    flow.assigned(List.of("a"));

    assertThat(working(BOUND).pause()).containsExactly("a");
  }
}
