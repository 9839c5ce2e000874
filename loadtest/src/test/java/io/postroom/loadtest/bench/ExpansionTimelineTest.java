package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ExpansionTimelineTest {

  /** 10,000 records in the first second, a pause of two seconds, 10,000 more in half a second. */
  private static ExpansionTimeline burstPauseBurst() {
    ExpansionTimeline timeline = new ExpansionTimeline();
    timeline.add(0, 0);
    timeline.add(500, 5_000);
    timeline.add(1_000, 10_000);
    timeline.add(2_000, 10_000);
    timeline.add(3_000, 10_000);
    timeline.add(3_500, 20_000);
    return timeline;
  }

  @Test
  void onlyTheIntervalsInWhichTheCountGrewAreTimeSpentExpanding() {
    ExpansionTimeline timeline = burstPauseBurst();

    assertThat(timeline.activeSeconds()).isEqualTo(1.5, within(1e-9));
    assertThat(timeline.activePerSecond()).isEqualTo(20_000 / 1.5, within(1e-6));
  }

  @Test
  void thePeakIsTheFastestStretchOfAtLeastASecond() {
    assertThat(burstPauseBurst().peakPerSecond()).isEqualTo(10_000, within(1e-6));
  }

  @Test
  void aCountThatNeverGrewHasNoRate() {
    ExpansionTimeline timeline = new ExpansionTimeline();
    timeline.add(0, 0);
    timeline.add(100, 0);

    assertThat(timeline.activePerSecond()).isNaN();
    assertThat(timeline.peakPerSecond()).isNaN();
  }
}
