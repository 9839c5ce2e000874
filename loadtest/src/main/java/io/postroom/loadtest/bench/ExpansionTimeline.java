package io.postroom.loadtest.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The recipients topic's record count as the bench saw it grow, every 100 ms: when the dispatcher
 * was expanding and when it was not. A dispatcher expands only the bulk records it has read, and the
 * jobs topic's bulk records share its consumer and its in-flight bound with the recipients waiting
 * to be sent; so with the relay path saturated, expansion comes in bursts, and the time from the
 * first recipient's job to the last holds pauses in which the expander had nothing to do. The rate
 * <em>while expanding</em> counts only the intervals in which the count grew.
 */
final class ExpansionTimeline {
  /** One look at the topic: when, and how many records it held. */
  record Sample(long atMillis, long records) {
  }

  private final List<Sample> samples = new ArrayList<>();

  void add(long atMillis, long records) {
    samples.add(new Sample(atMillis, records));
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Seconds of the intervals between two looks in which the count grew. */
  double activeSeconds() {
    long millis = 0;
    for (int i = 1; i < samples.size(); i++) {
      if (samples.get(i).records() > samples.get(i - 1).records()) {
        millis += samples.get(i).atMillis() - samples.get(i - 1).atMillis();
      }
    }
    return millis / 1000.0;
  }

  /** Records written over {@link #activeSeconds()}; NaN when the count never grew. */
  double activePerSecond() {
    double seconds = activeSeconds();
    return seconds <= 0 ? Double.NaN : (samples.get(samples.size() - 1).records() - samples.get(0).records()) / seconds;
  }

  /** The most records written in any stretch of at least a second between two looks; NaN if none is that long. */
  double peakPerSecond() {
    double peak = Double.NaN;
    int j = 0;
    for (int i = 0; i < samples.size(); i++) {
      j = Math.max(j, i + 1);
      while (j < samples.size() && samples.get(j).atMillis() - samples.get(i).atMillis() < 1000) {
        j++;
      }
      if (j == samples.size()) {
        break;
      }
      double rate = (samples.get(j).records() - samples.get(i).records()) * 1000.0
          / (samples.get(j).atMillis() - samples.get(i).atMillis());
      peak = Double.isNaN(peak) ? rate : Math.max(peak, rate);
    }
    return peak;
  }
}
