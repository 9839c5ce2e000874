package io.postroom.testkit.it;

/** What the integration tests share in handling their fixtures. */
final class Fixtures {
  private Fixtures() {
  }

  /** Closes what a test started, in the order given; a fixture it did not start (null) is skipped. */
  static void close(AutoCloseable... fixtures) {
    for (AutoCloseable fixture : fixtures) {
      if (fixture != null) {
        try {
          fixture.close();
        } catch (Exception e) {
          throw new IllegalStateException("cannot close " + fixture, e);
        }
      }
    }
  }
}
