package io.postroom.contract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TerminalLineTest {
  private static final String ERASE = "\r\033[K";
  private final PrintStream systemOut = System.out;
  private final PrintStream systemErr = System.err;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);

  @AfterEach
  void restore() {
    System.setOut(systemOut);
    System.setErr(systemErr);
  }

  private String screen() {
    return screen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLineWrittenWhileTheBarIsShownGoesAboveItAndTheBarIsDrawnAgain() {
    TerminalLine line = new TerminalLine(terminal, terminal, true);
    line.show("[##..] 2 / 4 jobs");

    System.err.println("2026-12-02T08:30:01.234Z WARN  Dispatcher - relay slow");

    assertThat(screen()).isEqualTo("\r[##..] 2 / 4 jobs" + ERASE + "2026-12-02T08:30:01.234Z WARN  Dispatcher - relay slow\n"
        + "\r[##..] 2 / 4 jobs");
    line.close();
  }

  @Test
  void theBarWaitsForAHalfWrittenLineToEnd() {
    TerminalLine line = new TerminalLine(terminal, terminal, true);
    System.out.print("Published ");

    line.show("[#...] 1 / 4 jobs");

    assertThat(screen()).isEqualTo("Published ");
    System.out.println("4 jobs");
    assertThat(screen()).isEqualTo("Published 4 jobs\n\r[#...] 1 / 4 jobs");
    line.close();
  }

  @Test
  void closingLeavesTheLastBarOnItsOwnLineAndGivesTheStreamsBack() {
    TerminalLine line = new TerminalLine(terminal, terminal, true);
    line.show("[####] 4 / 4 jobs");

    line.close();

    assertThat(screen()).isEqualTo("\r[####] 4 / 4 jobs\n");
    assertThat(System.err).isSameAs(terminal);
    assertThat(System.out).isSameAs(terminal);
  }
}
