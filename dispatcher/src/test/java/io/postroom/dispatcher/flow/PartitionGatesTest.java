package io.postroom.dispatcher.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Priority;
import io.postroom.dispatcher.lanes.Lane;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Partitions whose head must wait, and the records held behind it. Partitions and records are strings here. */
class PartitionGatesTest {
  private static final Instant LATER = Instant.parse("2026-11-22T10:00:10Z");
  private static final Lane BULK = new Lane(Priority.BULK, "billing");

  private int changes;
  private final PartitionGates<String, String> gates = new PartitionGates<>(() -> changes++);
  private final List<String> admitted = new ArrayList<>();

  @Test
  void aRecordOfAPartitionWithoutAGateIsNotHeld() {
    assertThat(gates.holds("p", "r1")).isFalse();
    assertThat(gates.held()).isZero();
  }

  @Test
  void recordsFetchedBehindAClosedGateAreHeldInOrder() {
    gates.close("p", "head", LATER, null);

    assertThat(gates.holds("p", "r1")).isTrue();
    assertThat(gates.holds("p", "r2")).isTrue();
    assertThat(gates.held()).isEqualTo(3);
    assertThat(gates.closed()).containsExactly("p");
  }

  @Test
  void closingOrOpeningAGateIsAChangeOfTheFlow() {
    PartitionGates.Gate<String> gate = gates.close("p", "head", LATER, null);
    gates.open("p", gate, (p, r) -> admitted.add(r));

    assertThat(changes).isEqualTo(2);
  }

  @Test
  void openingAGateAdmitsTheHeadAndTheRecordsBehindItInOrder() {
    PartitionGates.Gate<String> gate = gates.close("p", "head", LATER, null);
    gates.holds("p", "r1");
    gates.holds("p", "r2");

    assertThat(gates.open("p", gate, (p, r) -> admitted.add(r))).isTrue();

    assertThat(admitted).containsExactly("head", "r1", "r2");
    assertThat(gates.closed()).isEmpty();
  }

  @Test
  void aHeldRecordThatMustWaitInTurnClosesTheGateAgainWithTheRestBehindIt() {
    PartitionGates.Gate<String> gate = gates.close("p", "head", LATER, null);
    gates.holds("p", "r1");
    gates.holds("p", "r2");

    gates.open("p", gate, (p, r) -> {
      if (r.equals("r1")) {
        gates.close(p, r, null, BULK);
      } else {
        admitted.add(r);
      }
    });

    assertThat(admitted).containsExactly("head");
    assertThat(gates.held()).isEqualTo(2);
    assertThat(gates.waitingFor(BULK)).hasSize(1);
  }

  @Test
  void aGateThatIsNoLongerThePartitionsOpensNothing() {
    PartitionGates.Gate<String> gate = gates.close("p", "head", LATER, null);
    gates.drop("p");

    assertThat(gates.open("p", gate, (p, r) -> admitted.add(r))).isFalse();
    assertThat(admitted).isEmpty();
  }

  @Test
  void theGatesWaitingForALaneAreFoundByItsLane() {
    gates.close("p", "r1", null, BULK);
    gates.close("q", "r2", LATER, null);
    gates.close("s", "r3", null, new Lane(Priority.HIGH, "billing"));

    assertThat(gates.waitingFor(BULK)).extracting(Map.Entry::getKey).containsExactly("p");
  }

  @Test
  void newlyAssignedPartitionsWaitForNeitherATimeNorALane() {
    Map<String, PartitionGates.Gate<String>> learning = gates.closeUntilLearned(List.of("p", "q"));

    assertThat(gates.closed()).containsExactlyInAnyOrder("p", "q");
    assertThat(learning.values()).allSatisfy(gate -> {
      assertThat(gate.until()).isNull();
      assertThat(gate.lane()).isNull();
    });
    assertThat(gates.holds("p", "r1")).isTrue();
  }

  @Test
  void aDroppedPartitionsHeldRecordsAreLetGo() {
    gates.close("p", "head", LATER, null);
    gates.holds("p", "r1");

    assertThat(gates.drop("p").held()).isEqualTo(2);
    assertThat(gates.held()).isZero();
    assertThat(gates.holds("p", "r2")).isFalse();
  }

  @Test
  void stoppingDropsEveryGate() {
    gates.close("p", "head", LATER, null);
    gates.close("q", "head", null, BULK);

    assertThat(gates.dropAll()).hasSize(2);
    assertThat(gates.size()).isZero();
  }
}
