package io.postroom.loadtest.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time as Linux counts it in {@code /proc}: one process's (utime + stime of
 * {@code /proc/<pid>/stat}) and the whole machine's busy time (every field of {@code /proc/stat}'s
 * {@code cpu} line but idle and iowait). The same source for every sender, the bench's own
 * processes and the children it measures, so their figures compare.
 */
public final class CpuClock {
  // USER_HZ: the unit of both files; 100 on every Linux we run on
  public static final double TICKS_PER_SECOND = 100.0;

  private CpuClock() {
  }

  /** User plus system CPU seconds process {@code pid} has used so far; NaN once it is gone. */
  public static double processSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name in parentheses may hold spaces: count fields after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** This JVM's CPU seconds so far. */
  public static double ownSeconds() {
    return processSeconds(ProcessHandle.current().pid());
  }

  /** Core-seconds every core of the machine has spent busy so far; NaN if {@code /proc/stat} is unreadable. */
  public static double machineBusySeconds() {
    try {
      return busyTicks(Files.readAllLines(Path.of("/proc/stat")).get(0)) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Busy ticks of a {@code cpu ...} line: user nice system idle iowait irq softirq steal; idle and iowait are not busy. */
  static long busyTicks(String cpuLine) {
    String[] fields = cpuLine.trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < Math.min(fields.length, 9); i++) {
      if (i != 4 && i != 5) {
        busy += Long.parseLong(fields[i]);
      }
    }
    return busy;
  }

  /** Mean cores busy between two readings of {@link #machineBusySeconds()} {@code seconds} apart. */
  public static double busyCores(double busyBefore, double busyAfter, double seconds) {
    return seconds > 0 ? (busyAfter - busyBefore) / seconds : 0;
  }
}
