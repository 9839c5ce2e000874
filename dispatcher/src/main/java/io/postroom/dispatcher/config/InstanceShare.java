package io.postroom.dispatcher.config;

/** How a number the process is configured with is divided among its dispatcher instances. */
final class InstanceShare {
  private InstanceShare() {
  }

  /**
   * Instance {@code index}'s part of {@code total} whole things (connections): the parts add up to
   * {@code total}, differ by at most one, and none is below one.
   */
  static int part(int total, int count, int index) {
    return Math.max(1, total / count + (index < total % count ? 1 : 0));
  }

  /** An equal part of a bound, rounded up and at least one: the parts may add up to a little more. */
  static int ceilPart(int total, int count) {
    return Math.max(1, (total + count - 1) / count);
  }
}
