package io.postroom.contract.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How far a long-running command is: the count done, of how many when that is known, the rate, and
 * the time left. On a terminal a bar on stderr redrawn in place, with every other line the process
 * prints appearing above it ({@link TerminalLine}); otherwise a line on stderr every few seconds
 * when the count has moved. The rate shows from one a second. Reads the count from the command's own counter, on a daemon thread.
 */
public final class Progress implements AutoCloseable {
  private static final Duration REDRAW = Duration.ofMillis(200);
  private static final Duration LINE_EVERY = Duration.ofSeconds(5);
  private static final int BAR_WIDTH = 30;

  private final String command;
  private final String unit;
  private final LongSupplier done;
  private final long startedNanos = System.nanoTime();
  private final TerminalLine terminal;
  private final PrintStream lines;
  private final Thread ticker;
  private volatile long total;
  private volatile String note = "";
  private long lastPrinted = -1;
  private boolean closed;

  private Progress(String command, String unit, long total, LongSupplier done, TerminalLine terminal, PrintStream lines) {
    this.command = command;
    this.unit = unit;
    this.total = total;
    this.done = done;
    this.terminal = terminal;
    this.lines = lines;
    this.ticker = new Thread(this::tick, "postroom-progress");
    ticker.setDaemon(true);
  }

  /**
   * Shows the progress of {@code command} (e.g. {@code postroom load}) until closed.
   *
   * @param unit what is counted, plural: {@code jobs}
   * @param total how many there will be; 0 when not known (no bar, no time left)
   * @param done the count so far, read from any thread
   */
  public static Progress start(String command, String unit, long total, LongSupplier done) {
    Progress progress = new Progress(command, unit, total, done, TerminalLine.open(), System.err);
    progress.ticker.start();
    return progress;
  }

  /** The total, once it is known. */
  public void total(long total) {
    this.total = total;
  }

  /** A few words after the counts, e.g. the step under way; empty for none. */
  public void note(String note) {
    this.note = note;
  }

  private void tick() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        show(false);
        Thread.sleep(terminal != null ? REDRAW.toMillis() : LINE_EVERY.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void show(boolean last) {
    long count = done.getAsLong();
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    if (terminal != null) {
      terminal.show(bar(count, total, seconds, unit) + suffix("  "));
    } else if (count != lastPrinted || last) {
      lastPrinted = count;
      lines.println(command + ": " + counts(count, total, seconds, unit) + suffix("; "));
    }
  }

  private String suffix(String separator) {
    String text = note;
    return text.isEmpty() ? "" : separator + text;
  }

  /** Stops the display with the final count shown. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.interrupt();
    try {
      ticker.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    show(true);
    if (terminal != null) {
      terminal.close();
    }
  }

  /** {@code [#####.....] 1,234 / 10,000 jobs  2,345/s  ETA 0:04}; without a total, no bar and no ETA. */
  static String bar(long done, long total, double seconds, String unit) {
    int filled = total > 0 ? (int) (BAR_WIDTH * Math.min(done, total) / total) : 0;
    String bar = total > 0 ? "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " : "";
    return bar + String.join("  ", parts(done, total, seconds, unit, false));
  }

  /** {@code 1,234 / 10,000 jobs (12 %), 2,345/s, ETA 0:04}, for a log file or a pipe. */
  static String counts(long done, long total, double seconds, String unit) {
    return String.join(", ", parts(done, total, seconds, unit, true));
  }

  /** The count (of the total, in per cent if asked), the rate from one a second, the time left if it can be told. */
  private static List<String> parts(long done, long total, double seconds, String unit, boolean percent) {
    List<String> parts = new ArrayList<>();
    parts.add(String.format(Locale.ROOT, "%,d", done) + (total > 0 ? String.format(Locale.ROOT, " / %,d", total) : "")
        + " " + unit + (percent && total > 0 ? " (" + Math.min(100, done * 100 / total) + " %)" : ""));
    double rate = rate(done, seconds);
    if (rate >= 1) {
      parts.add(String.format(Locale.ROOT, "%,.0f/s", rate));
    }
    String eta = eta(done, total, rate);
    if (!eta.isEmpty()) {
      parts.add("ETA " + eta);
    }
    return parts;
  }

  private static double rate(long done, double seconds) {
    return seconds > 0 ? done / seconds : 0;
  }

  /** The time left at {@code rate}, as {@code m:ss} or {@code h:mm:ss}; empty when it cannot be told or nothing is left. */
  static String eta(long done, long total, double rate) {
    if (total <= 0 || rate <= 0 || done >= total) {
      return "";
    }
    long seconds = (long) Math.ceil((total - done) / rate);
    long hours = seconds / 3600;
    return hours > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
