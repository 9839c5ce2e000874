package io.postroom.contract.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every {@code bin/postroom} command reads its options (picocli): {@code --help} and
 * {@code --version} answered without starting anything, the same number and duration formats
 * ({@link OptionValues}), and one way to refuse an option: one line on stderr naming it, a hint
 * line, exit code {@link #USAGE}. A command is a picocli {@code @Command} whose name is how it is
 * typed ({@code bin/postroom demo}) and whose {@code call()} returns the exit code.
 */
public final class Cli {
  /** Done. */
  public static final int OK = 0;
  /** The command ran and failed; its last line says why. */
  public static final int FAILED = 1;
  /** An option (or the configuration) cannot be used; nothing was started. */
  public static final int USAGE = 2;

  private Cli() {
  }

  /** Runs {@code command} with {@code args} on the console and exits the JVM with its exit code. */
  public static void exit(Object command, String... args) {
    // through whatever System.out and System.err are at each write: a progress bar replaces them for its time
    System.exit(commandLine(command).setOut(new PrintWriter(new Current(() -> System.out), true))
        .setErr(new PrintWriter(new Current(() -> System.err), true)).execute(args));
  }

  /** Runs {@code command} with {@code args}, its output and errors to {@code out} and {@code err}: the exit code. */
  public static int run(Object command, String[] args, PrintStream out, PrintStream err) {
    return commandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  /**
   * The command with Postroom's option formats, --help and --version (the {@link Version}) and error
   * handling, for {@link #run} and for tests of the options.
   */
  public static CommandLine commandLine(Object command) {
    CommandLine line = new CommandLine(command);
    line.getCommandSpec().mixinStandardHelpOptions(true).versionProvider(new Version());
    OptionValues.register(line);
    line.setUsageHelpWidth(100);
    line.getCommandSpec().usageMessage().synopsisHeading("usage: ").descriptionHeading("%n");
    line.setParameterExceptionHandler(Cli::refuse);
    return line;
  }

  /**
   * An option value the command itself finds unusable once parsed (out of range, in conflict with
   * another): refused like any other, naming {@code option}.
   */
  public static ParameterException invalid(CommandSpec spec, String option, String problem) {
    return new ParameterException(spec.commandLine(), "invalid value for " + option + ": " + problem);
  }

  /** The command's name without the script's path: {@code postroom demo}, as its messages start. */
  public static String prefix(CommandSpec spec) {
    return spec.name().replaceFirst("^bin/", "");
  }

  /** A standard stream as it is when written to. */
  private static final class Current extends OutputStream {
    private final Supplier<PrintStream> stream;

    Current(Supplier<PrintStream> stream) {
      this.stream = stream;
    }

    @Override
    public void write(int b) {
      stream.get().write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      stream.get().write(bytes, offset, length);
    }

    @Override
    public void flush() {
      stream.get().flush();
    }
  }

  private static int refuse(ParameterException e, String[] args) {
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    PrintWriter err = e.getCommandLine().getErr();
    err.println(prefix(spec) + ": " + sentence(e));
    err.println("try '" + spec.name() + " --help'");
    err.flush();
    return USAGE;
  }

  /** Picocli's message in one line, in the form the rest of Postroom's messages take. */
  static String sentence(ParameterException e) {
    String message = e.getMessage().lines().findFirst().orElse("")
        .replaceAll("'(-[\\w-]+)=[^']*'", "$1")
        .replaceAll("option '(-[^']+)'", "$1")
        .replaceFirst("^Missing required (options?): ", "missing required $1 ")
        .replaceFirst("^Missing required parameter for (-\\S+) \\((.*)\\)$", "$1 needs a value ($2)")
        .replaceFirst("^Expected parameter for (-\\S+) but found '(.*)'$", "$1 needs a value, found '$2'");
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      // the first is the one to fix; what follows it is often its value
      String first = unmatched.getUnmatched().get(0);
      message = first.startsWith("-") ? "unknown option '" + first.replaceFirst("=.*", "") + "'"
          : "unexpected argument '" + first + "'";
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += "; did you mean " + String.join(" or ", suggestions) + "?";
      }
    }
    return message.isEmpty() ? message : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
  }
}
