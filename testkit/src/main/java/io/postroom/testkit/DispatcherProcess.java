package io.postroom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A dispatcher in its own JVM, started as {@code bin/postroom dispatcher} starts it, so that a test
 * can kill it with {@code kill -9} mid-run or stop it with SIGTERM.
 */
public final class DispatcherProcess implements AutoCloseable {
  /**
   * HTTP/1.1 and bounded waits: the JDK client's default HTTP/2 upgrade attempt on plain HTTP, and a
   * request without a timeout, once left a test waiting forever for an answer that was not coming.
   */
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private final ChildProcess process;
  private final int httpPort;
  private final Path log;

  private DispatcherProcess(ChildProcess process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** Starts a dispatcher with this JVM's classpath and waits until it reports ready. */
  public static DispatcherProcess start(DispatcherSettings settings, Path dir, Duration readyTimeout) {
    return start(settings, dir, readyTimeout, List.of());
  }

  /** The same, with more JVM options, such as a flight recording. */
  public static DispatcherProcess start(DispatcherSettings settings, Path dir, Duration readyTimeout,
      List<String> jvmOptions) {
    DispatcherProcess dispatcher = launch(settings, dir, jvmOptions, List.of(), 0);
    try {
      dispatcher.awaitReady(readyTimeout);
    } catch (RuntimeException e) {
      dispatcher.kill();
      throw e;
    }
    return dispatcher;
  }

  /**
   * Starts a dispatcher and returns at once, ready or not: for tests of its start and of its exits.
   *
   * @param httpPort its health and metrics port; 0 for a free one
   */
  public static DispatcherProcess launch(DispatcherSettings settings, Path dir, List<String> jvmOptions,
      List<String> args, int httpPort) {
    try {
      Files.createDirectories(dir);
      int port = httpPort > 0 ? httpPort : FreePort.any();
      settings.env("POSTROOM_HTTP_PORT", Integer.toString(port));
      Map<String, String> env = settings.environment(dir);
      Path log = Files.createTempFile(dir, "dispatcher-", ".log");
      List<String> options = new ArrayList<>(List.of("-Xmx512m"));
      options.addAll(jvmOptions);
      List<String> command = ChildProcess.java(options, "io.postroom.dispatcher.Main", args);
      ChildProcess child = ChildProcess.start(command, dir, log, env);
      return new DispatcherProcess(child, port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code /health/ready} answers 200; fails with the log if it exits or the time is up. */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("dispatcher exited with " + process.exitCode() + ":\n" + logText());
      }
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).timeout(REQUEST_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    throw new IllegalStateException("dispatcher not ready after " + timeout + ":\n" + logText());
  }

  public int httpPort() {
    return httpPort;
  }

  /** Its {@code GET /metrics} text (Prometheus). */
  public String metrics() {
    return metrics(httpPort);
  }

  /** The {@code GET /metrics} text of a dispatcher, in this JVM or another, serving on {@code httpPort}. */
  public static String metrics(int httpPort) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
          .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** The HTTP status of {@code GET path} (e.g. /health/ready), or -1 while nothing answers. */
  public int httpStatus(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
          .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body of {@code GET path}, or null while nothing answers. */
  public String httpBody(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
          .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until its log contains {@code text}; false if the process exits first or the time is up. */
  public boolean awaitLog(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (logText().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return logText().contains(text);
      }
      sleep(50);
    }
    return false;
  }

  /**
   * Waits for the process to exit and returns its exit code. If it is still running after
   * {@code timeout}, kills it and fails with its log: no test waits on a hang.
   */
  public int awaitExit(Duration timeout) {
    if (!process.waitFor(timeout)) {
      process.kill();
      throw new AssertionError("dispatcher still running after " + timeout + " (killed):\n" + logText());
    }
    return process.exitCode();
  }

  /** SIGTERM, without waiting: see {@link #awaitExit}. */
  public void terminate() {
    process.terminate();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last line it printed: the reason, when it exits with a code other than 0. */
  public String lastLine() {
    List<String> lines = logText().lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /** SIGKILL: a crash, no drain, no commit. */
  public void kill() {
    process.kill();
  }

  /** SIGTERM and wait: the graceful shutdown path. */
  public int stop(Duration grace) {
    process.stop(grace);
    return process.exitCode();
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.stop(Duration.ofSeconds(15));
    }
  }


  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
