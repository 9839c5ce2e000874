package io.postroom.testkit.it;

import io.postroom.testkit.DispatcherProcess;
import java.time.Duration;

/**
 * The fault matrix the fault tests print, a line per fault: the process's exit code, how long after
 * the fault it came, and its last line (what an operator sees).
 */
final class FaultMatrix {
  private FaultMatrix() {
  }

  /** How a process ended after a fault, and how long after it. */
  record Exit(int code, Duration took) {
  }

  /**
   * Prints the fault's line.
   *
   * @param since when the fault was made ({@link System#nanoTime()})
   * @return how long ago that was
   */
  static Duration print(String fault, int code, long since, String lastLine) {
    Duration took = Duration.ofNanos(System.nanoTime() - since);
    System.out.printf("fault matrix: %-34s exit %d after %5d ms: %s%n", fault, code, took.toMillis(), lastLine);
    return took;
  }

  /** Waits for the child's exit within {@code bound} of a fault made at {@code since}; prints the line. */
  static Exit exitAfter(DispatcherProcess child, String fault, long since, Duration bound) {
    int code = child.awaitExit(bound);
    return new Exit(code, print(fault, code, since, child.lastLine()));
  }

  /** Sends the child SIGTERM and waits for its exit within {@code bound}; prints the line. */
  static Exit sigterm(DispatcherProcess child, String fault, Duration bound) {
    long signalled = System.nanoTime();
    child.terminate();
    return exitAfter(child, fault + " (SIGTERM)", signalled, bound);
  }
}
