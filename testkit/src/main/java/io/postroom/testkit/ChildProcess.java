package io.postroom.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A process started by this JVM that never outlives it. A tiny bash watchdog, started beside the
 * child, polls this JVM's pid and terminates the child once this JVM is gone — including after
 * {@code kill -9}, when no shutdown hook runs. The child's stdout and stderr are appended to a log
 * file.
 */
public final class ChildProcess {

  // $1 = this JVM, $2 = the child. Gives the child 10 s to stop on SIGTERM before SIGKILL.
  private static final String WATCHDOG = """
      while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
      kill -0 "$2" 2>/dev/null || exit 0
      kill -TERM "$2" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$2" 2>/dev/null || exit 0; sleep 1; done
      kill -KILL "$2" 2>/dev/null
      """;

  private final Process process;
  private final Process watchdog;

  private ChildProcess(Process process, Process watchdog) {
    this.process = process;
    this.watchdog = watchdog;
  }

  /**
   * The command that runs {@code mainClass} in a new JVM with this JVM's java and classpath, or the
   * class path among {@code jvmOptions} when they give one ({@code -cp PATH}).
   */
  public static List<String> java(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    if (!jvmOptions.contains("-cp")) {
      // absolute, since the child may start in another directory
      String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
          .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
      command.addAll(List.of("-cp", classpath));
    }
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  public static ChildProcess start(List<String> command, Path workDir, Path logFile) throws IOException {
    return start(command, workDir, logFile, Map.of());
  }

  /** Starts {@code command} with this JVM's environment plus {@code environment}. */
  public static ChildProcess start(List<String> command, Path workDir, Path logFile, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      Process watchdog = new ProcessBuilder("bash", "-c", WATCHDOG, "watchdog",
          Long.toString(ProcessHandle.current().pid()), Long.toString(process.pid()))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return new ChildProcess(process, watchdog);
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or -1 while the process runs. */
  public int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGTERM, then SIGKILL if the process has not exited within {@code grace}. */
  public void stop(Duration grace) {
    process.destroy();
    if (!waitFor(grace)) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
    watchdog.destroy();
  }

  /** SIGTERM, without waiting. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown, as in a crash. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
    watchdog.destroy();
  }

  /** Waits for the process to exit; false if it still runs after {@code timeout}. */
  public boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
