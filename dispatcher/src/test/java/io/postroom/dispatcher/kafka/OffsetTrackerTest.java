package io.postroom.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("mail.jobs", 0);
  private static final TopicPartition P1 = new TopicPartition("mail.jobs", 1);

  private final OffsetTracker tracker = new OffsetTracker();

  /** OffsetAndMetadata has no equals: compare the offsets themselves. */
  private Map<TopicPartition, Long> committable() {
    return tracker.committable().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getOffset()));
  }

  private void receivedAll(TopicPartition partition, long... offsets) {
    for (long offset : offsets) {
      tracker.received(partition, offset);
    }
  }

  private void finishedAll(TopicPartition partition, long... offsets) {
    for (long offset : offsets) {
      tracker.finished(partition, offset);
    }
  }

  /** Finishes the offsets one by one; the partition's committable offset after each. */
  private List<Long> committableAfterFinishingEach(TopicPartition partition, long... offsets) {
    List<Long> committable = new ArrayList<>();
    for (long offset : offsets) {
      tracker.finished(partition, offset);
      committable.add(tracker.committable().get(partition).getOffset());
    }
    return committable;
  }

  /** Commits whatever is committable, as the consumer does after a successful commit. */
  private void commitAll() {
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    tracker.markCommitted(offsets);
  }

  @Test
  void nothingIsCommittableBeforeAnyRecordIsReceived() {
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void aReceivedButUnfinishedRecordIsNotCommittedPast() {
    tracker.received(P0, 7);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 7L));
  }

  @Test
  void finishingInOrderCommitsTheOffsetAfterTheLastFinished() {
    receivedAll(P0, 0, 1, 2);

    assertThat(committableAfterFinishingEach(P0, 0, 1, 2)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aLaterRecordFinishingFirstCommitsOnlyUpToTheEarliestUnfinished() {
    receivedAll(P0, 3, 4, 5);

    tracker.finished(P0, 5);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 3L));
  }

  @Test
  void whenTheHeldBackRecordFinishesTheCommitMovesPastEverythingFinishedBehindIt() {
    receivedAll(P0, 3, 4, 5);
    finishedAll(P0, 5, 4);

    tracker.finished(P0, 3);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 6L));
  }

  @Test
  void offsetsSkippedByTheConsumerAreNotWaitedFor() {
    // compaction or transaction markers: 11, 13 and 14 are never received
    receivedAll(P0, 10, 12, 15);

    assertThat(committableAfterFinishingEach(P0, 10, 12, 15)).containsExactly(12L, 15L, 16L);
  }

  @Test
  void aGapIsNotWaitedForEvenWhenTheRecordAfterItFinishesFirst() {
    receivedAll(P0, 10, 12, 15);

    finishedAll(P0, 15, 12, 10);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 16L));
  }

  @Test
  void aSlowRecordInOnePartitionDoesNotHoldBackAnother() {
    receivedAll(P0, 0, 1);
    receivedAll(P1, 0, 1);

    finishedAll(P1, 0, 1);
    tracker.finished(P0, 1);

    assertThat(committable()).containsExactlyInAnyOrderEntriesOf(Map.of(P0, 0L, P1, 2L));
  }

  @Test
  void partitionsOfDifferentTopicsWithTheSameNumberAreTrackedApart() {
    TopicPartition other = new TopicPartition("mail.other", 0);
    tracker.received(P0, 5);
    tracker.received(other, 5);

    tracker.finished(other, 5);

    assertThat(committable()).containsExactlyInAnyOrderEntriesOf(Map.of(P0, 5L, other, 6L));
  }

  @Test
  void aCommittedOffsetIsNotOfferedAgain() {
    tracker.received(P0, 0);
    tracker.finished(P0, 0);

    commitAll();

    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void aCommittedPartitionIsOfferedAgainOnceItMoves() {
    receivedAll(P0, 0, 1);
    tracker.finished(P0, 0);
    commitAll();

    tracker.finished(P0, 1);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 2L));
  }

  @Test
  void onlyThePartitionsThatMovedSinceTheirCommitAreOffered() {
    receivedAll(P0, 0, 1);
    receivedAll(P1, 0, 1);
    tracker.finished(P0, 0);
    tracker.finished(P1, 0);
    commitAll();

    tracker.finished(P1, 1);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P1, 2L));
  }

  @Test
  void newRecordsReceivedBehindAFinishedOneDoNotMoveACommittedPartition() {
    tracker.received(P0, 0);
    tracker.finished(P0, 0);
    commitAll();

    tracker.received(P0, 1);

    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void markingAnOlderCommitDoesNotMoveTheCommittedOffsetBack() {
    receivedAll(P0, 0, 1, 2);
    tracker.finished(P0, 0);
    Map<TopicPartition, OffsetAndMetadata> older = tracker.committable();
    finishedAll(P0, 1, 2);
    commitAll();

    tracker.markCommitted(older);

    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void anOffsetBelowTheCommittedOneReceivedAgainNeverYieldsASmallerCommit() {
    receivedAll(P0, 10, 11);
    finishedAll(P0, 10, 11);
    commitAll();

    tracker.received(P0, 5);

    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void anOffsetBelowTheCommittedOneHoldsTheCommitUntilItFinishes() {
    receivedAll(P0, 10, 11);
    finishedAll(P0, 10, 11);
    commitAll();
    tracker.received(P0, 5);
    tracker.received(P0, 12);
    tracker.finished(P0, 12);
    assertThat(tracker.committable()).isEmpty();

    tracker.finished(P0, 5);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 13L));
  }

  @Test
  void aCommitMarkedForAPartitionNeverReceivedIsIgnored() {
    tracker.markCommitted(Map.of(P1, new OffsetAndMetadata(42, "")));
    tracker.received(P1, 3);

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P1, 3L));
  }

  @Test
  void everyCommittableOffsetCarriesEmptyMetadata() {
    tracker.received(P0, 0);
    tracker.finished(P0, 0);

    assertThat(tracker.committable().get(P0).getMetadata()).isEmpty();
  }

  @Test
  void receivingCountsARecordInFlight() {
    receivedAll(P0, 0, 1);
    tracker.received(P1, 0);

    assertThat(tracker.inFlight()).isEqualTo(3);
  }

  @Test
  void finishingARecordTakesItOutOfFlight() {
    receivedAll(P0, 0, 1);

    tracker.finished(P0, 1);

    assertThat(tracker.inFlight()).isEqualTo(1);
  }

  @Test
  void aRecordReceivedTwiceWhileInFlightCountsOnce() {
    tracker.received(P0, 4);
    tracker.received(P0, 4);

    assertThat(tracker.inFlight()).isEqualTo(1);
  }

  @Test
  void finishingAnInFlightOffsetReturnsTrue() {
    tracker.received(P0, 4);

    assertThat(tracker.finished(P0, 4)).isTrue();
  }

  @Test
  void finishingAnOffsetNeverReceivedReturnsFalseAndChangesNothing() {
    tracker.received(P0, 4);

    assertThat(tracker.finished(P0, 5)).isFalse();
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 4L));
  }

  @Test
  void finishingAnOffsetOfAPartitionNeverReceivedReturnsFalse() {
    assertThat(tracker.finished(P1, 0)).isFalse();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void finishingTheSameOffsetTwiceCountsItOnce() {
    receivedAll(P0, 4, 5);
    tracker.finished(P0, 4);

    assertThat(tracker.finished(P0, 4)).isFalse();
    assertThat(tracker.inFlight()).isEqualTo(1);
  }

  @Test
  void revokingAPartitionDropsItsRecordsFromTheInFlightCount() {
    receivedAll(P0, 0, 1, 2);
    tracker.received(P1, 0);

    tracker.revoked(Set.of(P0));

    assertThat(tracker.inFlight()).isEqualTo(1);
  }

  @Test
  void aRevokedPartitionIsNoLongerOfferedForCommit() {
    tracker.received(P0, 0);
    tracker.finished(P0, 0);
    tracker.received(P1, 0);

    tracker.revoked(Set.of(P0));

    assertThat(committable()).containsExactlyEntriesOf(Map.of(P1, 0L));
  }

  @Test
  void aLateFinishOfARevokedPartitionsRecordChangesNothing() {
    receivedAll(P0, 0, 1);
    tracker.received(P1, 0);
    tracker.revoked(Set.of(P0));

    assertThat(tracker.finished(P0, 0)).isFalse();
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(committable()).containsExactlyEntriesOf(Map.of(P1, 0L));
  }

  @Test
  void revokingAPartitionNeverReceivedChangesNothing() {
    tracker.received(P0, 0);

    tracker.revoked(Set.of(P1));

    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 0L));
  }

  @Test
  void aPartitionAssignedAgainAfterRevokeStartsFresh() {
    receivedAll(P0, 0, 1, 2);
    tracker.finished(P0, 0);
    commitAll();
    tracker.revoked(Set.of(P0));

    tracker.received(P0, 1);

    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 1L));
  }

  @Test
  void aRecordReceivedAgainAfterRevokeAndAssignCanBeFinishedAndCommitted() {
    tracker.received(P0, 1);
    tracker.revoked(Set.of(P0));
    tracker.received(P0, 1);

    assertThat(tracker.finished(P0, 1)).isTrue();
    assertThat(tracker.inFlight()).isZero();
    assertThat(committable()).containsExactlyEntriesOf(Map.of(P0, 2L));
  }
}
