package io.postroom.dispatcher.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GroupShareTest {

  private final GroupShare share = new GroupShare(MessageRate.perSecond(100));

  @Test
  void halfThePartitionsGetHalfTheGroupRate() {
    assertThat(share.forAssignment(3, 6)).contains(MessageRate.perSecond(50));
  }

  @Test
  void anUnevenAssignmentGetsItsProportion() {
    assertThat(share.forAssignment(1, 3)).hasValueSatisfying(rate ->
        assertThat(rate.perSecond()).isCloseTo(33.333, within(0.001)));
    assertThat(share.forAssignment(2, 3)).hasValueSatisfying(rate ->
        assertThat(rate.perSecond()).isCloseTo(66.667, within(0.001)));
  }

  @Test
  void theSharesOfAllInstancesAddUpToTheGroupRate() {
    // seven partitions over three instances: 3, 2 and 2
    double sum = share.forAssignment(3, 7).orElseThrow().perSecond()
        + share.forAssignment(2, 7).orElseThrow().perSecond()
        + share.forAssignment(2, 7).orElseThrow().perSecond();

    assertThat(sum).isCloseTo(100, within(1e-9));
  }

  @Test
  void anInstanceWithNothingAssignedHasNoRate() {
    assertThat(share.forAssignment(0, 6)).isEmpty();
  }

  @Test
  void anInstanceWithAllPartitionsAssignedGetsTheWholeGroupRate() {
    assertThat(share.forAssignment(6, 6)).contains(MessageRate.perSecond(100));
  }

  @Test
  void aTopicWithoutPartitionsIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> share.forAssignment(0, 0))
        .withMessageContaining("partitionCount");
  }

  @Test
  void aNegativeAssignmentIsRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> share.forAssignment(-1, 6))
        .withMessageContaining("assignedPartitions");
  }

  @Test
  void moreAssignedPartitionsThanTheTopicHasAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> share.forAssignment(7, 6))
        .withMessageContaining("assignedPartitions");
  }

  @Test
  void aMissingGroupRateIsRejected() {
    assertThatNullPointerException()
        .isThrownBy(() -> new GroupShare(null))
        .withMessageContaining("groupRate");
  }
}
