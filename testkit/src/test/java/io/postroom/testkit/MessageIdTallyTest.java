package io.postroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageIdTallyTest {

  @Test
  void countsDistinctIdsAndRepeats() {
    MessageIdTally tally = new MessageIdTally();

    assertThat(tally.add("<a@example.gov.in>")).isTrue();
    assertThat(tally.add("<b@example.gov.in>")).isTrue();
    assertThat(tally.add("<a@example.gov.in>")).isFalse();

    assertThat(tally.distinct()).isEqualTo(2);
    assertThat(tally.repeated()).isEqualTo(1);
  }

  @Test
  void keepsCountingPastItsInitialCapacity() {
    MessageIdTally tally = new MessageIdTally();
    for (int i = 0; i < 300_000; i++) {
      tally.add("<" + i + ".run@example.gov.in>");
    }
    for (int i = 0; i < 1_000; i++) {
      tally.add("<" + i + ".run@example.gov.in>");
    }

    assertThat(tally.distinct()).isEqualTo(300_000);
    assertThat(tally.repeated()).isEqualTo(1_000);
  }

  @Test
  void clearForgetsEverything() {
    MessageIdTally tally = new MessageIdTally();
    tally.add("<a@example.gov.in>");
    tally.add("<a@example.gov.in>");

    tally.clear();

    assertThat(tally.distinct()).isZero();
    assertThat(tally.repeated()).isZero();
    assertThat(tally.add("<a@example.gov.in>")).isTrue();
  }
}
