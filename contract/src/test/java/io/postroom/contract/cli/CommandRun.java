package io.postroom.contract.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A command run as {@code bin/postroom} runs it ({@link Cli#run}), its output and errors captured:
 * for the tests of every command's options. Shared with the other modules' tests (the test-jar).
 */
public record CommandRun(int exitCode, String out, String err) {

  public static CommandRun of(Object command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(command, args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** {@code command} with its options read from {@code args}, not run: for the values they make. */
  public static <T> T parsed(T command, String... args) {
    Cli.commandLine(command).parseArgs(args);
    return command;
  }

  /**
   * The one line a run refused for its options prints, after checking the rest of the refusal: exit
   * code 2, nothing on stdout, and the hint to the command's help as the second and last line.
   */
  public static String refusal(Object command, String... args) {
    CommandRun run = of(command, args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(Cli.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(2).last().asString().matches("try 'bin/postroom [a-z -]+ --help'");
    return run.errLines().get(0);
  }

  /** The lines written to stderr. */
  public List<String> errLines() {
    return err.lines().toList();
  }
}
