package io.postroom.loadtest.baseline;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code bin/postroom bench}'s baselines as a program: sends {@code --messages} messages with
 * {@code --client vertx|jakarta|jakarta-per-message} (options: {@link BaselineOptions}) and prints
 * one JSON line with what it measured (fields: {@link BaselineResult#toJson()}). Exit code 0 if
 * every message was sent (or every one started within {@code --max-seconds}), 1 if any failed, 2
 * for bad arguments, with a message on stderr naming the option.
 */
public final class BaselineMain {
  private BaselineMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The program without {@link System#exit}: the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    BaselineOptions options;
    BaselineResult result;
    try {
      options = BaselineOptions.parse(Arrays.asList(args));
      result = Baseline.run(options);
    } catch (IllegalArgumentException e) {
      err.println("postroom bench baseline: " + e.getMessage());
      return 2;
    }
    out.println(result.toJson().encode());
    out.flush();
    if (result.firstError() != null) {
      err.println("postroom bench baseline: " + result.failed() + " failed; the first: " + result.firstError());
    }
    return result.exitCode();
  }
}
