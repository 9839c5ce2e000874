package io.postroom.loadtest.bench;

/**
 * {@code postroom_jobs_moved_total{to="..."}} out of a dispatcher's Prometheus text: jobs written to
 * a lane or retry topic to wait. In a bench each is an extra Kafka round trip, so it is reported.
 */
final class JobsMoved {
  private JobsMoved() {
  }

  /** The counter for {@code to}, summed over its series; 0 when the dispatcher has not moved any. */
  static long count(String metrics, String to) {
    long sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("postroom_jobs_moved_total{") && line.contains("to=\"" + to + "\"")) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
