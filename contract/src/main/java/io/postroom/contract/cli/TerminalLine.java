package io.postroom.contract.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line at the bottom of the terminal that is redrawn in place (a progress bar), with everything
 * else the process prints (its own lines, log lines) appearing above it rather than through it:
 * while the line is open, {@code System.out} and {@code System.err} erase it before they write and
 * draw it again after each complete line. Logback's console appender writes through
 * {@code System.err} at each event, so log lines take the same way.
 */
final class TerminalLine implements AutoCloseable {
  private static final String ERASE = "\r\033[K";

  private final PrintStream terminal;
  private final PrintStream out;
  private final PrintStream err;
  private final Object lock = new Object();
  private String text = "";
  private boolean drawn;
  /** A line was begun above and not ended yet: drawing now would land in its middle. */
  private boolean midLine;

  /** A line on {@code err}; {@code System.out} written above it too when {@code outOnTerminal}. */
  TerminalLine(PrintStream out, PrintStream err, boolean outOnTerminal) {
    this.out = out;
    this.err = err;
    this.terminal = err;
    System.setErr(new PrintStream(new Above(err), true));
    if (outOnTerminal) {
      System.setOut(new PrintStream(new Above(out), true));
    }
  }

  /** A line on stderr, if stderr is a terminal; null if it is not (a file, a pipe). */
  static TerminalLine open() {
    return isTerminal(2) ? new TerminalLine(System.out, System.err, isTerminal(1)) : null;
  }

  /** Whether file descriptor {@code fd} of this process is a terminal (Linux; elsewhere: whether there is a console). */
  static boolean isTerminal(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    try {
      String target = Files.readSymbolicLink(link).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  /** Replaces the line with {@code line}. */
  void show(String line) {
    synchronized (lock) {
      if (drawn && line.equals(text)) {
        return;
      }
      text = line;
      if (!midLine) {
        draw();
      }
    }
  }

  /** Leaves the line as it is last shown, ends it, and gives the streams back. */
  @Override
  public void close() {
    synchronized (lock) {
      if (!drawn) {
        draw();
      }
      if (drawn) {
        terminal.print("\n");
        terminal.flush();
      }
      drawn = false;
      System.setOut(out);
      System.setErr(err);
    }
  }

  private void draw() {
    if (text.isEmpty()) {
      return;
    }
    terminal.print((drawn ? ERASE : "\r") + text);
    terminal.flush();
    drawn = true;
  }

  private void erase() {
    if (drawn) {
      terminal.print(ERASE);
      terminal.flush();
      drawn = false;
    }
  }

  /** A stream of the terminal that writes above the line. */
  private final class Above extends OutputStream {
    private final PrintStream target;

    Above(PrintStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      if (length == 0) {
        return;
      }
      synchronized (lock) {
        erase();
        target.write(bytes, offset, length);
        target.flush();
        midLine = bytes[offset + length - 1] != '\n';
        if (!midLine) {
          draw();
        }
      }
    }

    @Override
    public void flush() {
      target.flush();
    }
  }
}
