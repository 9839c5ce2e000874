package io.postroom.loadtest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dispatcher's peak heap from its unified GC log ({@code -Xlog:gc:file=...}): the largest
 * "before" figure of its collections ({@code 123M->45M(512M)}). Read from a file the JVM writes
 * anyway, so measuring it never touches the dispatcher's event loop, unlike polling /metrics.
 */
final class GcLog {
  private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  private GcLog() {
  }

  /** The JVM option that writes the log this class reads. */
  static String option(Path file) {
    return "-Xlog:gc:file=" + file.toAbsolutePath();
  }

  static long peakHeapBytes(Path file) {
    try {
      return peakHeapBytes(Files.readAllLines(file));
    } catch (IOException e) {
      return 0;
    }
  }

  static long peakHeapBytes(List<String> lines) {
    long peak = 0;
    for (String line : lines) {
      Matcher heap = HEAP.matcher(line);
      if (heap.find()) {
        peak = Math.max(peak, bytes(heap.group(1), heap.group(2)));
      }
    }
    return peak;
  }

  private static long bytes(String number, String unit) {
    long value = Long.parseLong(number);
    return switch (unit) {
      case "K" -> value * 1024;
      case "M" -> value * 1024 * 1024;
      default -> value * 1024 * 1024 * 1024;
    };
  }
}
