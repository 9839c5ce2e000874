package io.postroom.loadtest.bench;

import java.util.List;

/**
 * How fast a dispatcher expanded bulk records: the recipients' jobs it wrote to the recipients
 * topic, over the time from the first one's timestamp to the last one's (the records' CreateTime,
 * set by the dispatcher's producer when it hands the record over). Each partition's first and last
 * record give the window: the topic is fresh, and one producer writes each partition in order.
 *
 * @param recipients records on the recipients topic
 * @param firstMillis the earliest first record's timestamp of any partition
 * @param lastMillis the latest last record's timestamp of any partition
 */
record ExpansionRate(long recipients, long firstMillis, long lastMillis) {

  /** A partition's first and last record's timestamps; a partition with no records is left out. */
  record Span(long firstMillis, long lastMillis) {
  }

  static ExpansionRate of(long recipients, List<Span> partitions) {
    if (partitions.isEmpty()) {
      return new ExpansionRate(recipients, 0, 0);
    }
    return new ExpansionRate(recipients, partitions.stream().mapToLong(Span::firstMillis).min().orElseThrow(),
        partitions.stream().mapToLong(Span::lastMillis).max().orElseThrow());
  }

  double seconds() {
    return Math.max(0, lastMillis - firstMillis) / 1000.0;
  }

  /**
   * Recipients per second: the n - 1 intervals between n records over the window; NaN with fewer
   * than two records or a window shorter than a millisecond.
   */
  double perSecond() {
    return recipients < 2 || lastMillis <= firstMillis ? Double.NaN : (recipients - 1) / seconds();
  }

  /** Microseconds of the window per recipient (the inverse rate). */
  double microsPerRecipient() {
    return 1e6 / perSecond();
  }
}
