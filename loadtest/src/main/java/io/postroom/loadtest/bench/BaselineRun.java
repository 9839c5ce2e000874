package io.postroom.loadtest.bench;

import io.postroom.testkit.ChildProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One baseline sender ({@code io.postroom.loadtest.baseline.BaselineMain}) in a JVM of its own, with
 * the dispatcher's heap limit, so that its CPU time is its own.
 */
final class BaselineRun {
  private final String client;
  private final ChildProcess process;
  private final Path log;

  private BaselineRun(String client, ChildProcess process, Path log) {
    this.client = client;
    this.process = process;
    this.log = log;
  }

  /**
   * Sends {@code warmup} and then {@code messages} with {@code client} ({@code vertx}, {@code jakarta},
   * {@code jakarta-per-message}) and reads the JSON line it prints: the measured window's figures.
   */
  static SenderResult run(String name, String client, int warmup, int messages, Integer maxSeconds, BenchPlan plan,
      Sink sink, String runId, Path dir, String note) {
    List<String> args = new ArrayList<>(List.of("--messages", Integer.toString(messages),
        "--warmup", Integer.toString(warmup)));
    if (maxSeconds != null) {
      args.addAll(List.of("--max-seconds", Integer.toString(maxSeconds)));
    }
    return start(client, plan, sink, runId, dir, args).result(name, note);
  }

  /** Starts a baseline with the sink's and the plan's options plus {@code more}; {@link #result} waits for it. */
  static BaselineRun start(String client, BenchPlan plan, Sink sink, String runId, Path dir, List<String> more) {
    List<String> args = new ArrayList<>(List.of("--client", client, "--host", sink.host(),
        "--port", Integer.toString(sink.port()), "--username", Sink.USER,
        "--password-file", sink.passwordFile().toString(), "--trust-pem", sink.trustPem().toString(),
        "--size", Integer.toString(plan.size()), "--connections", Integer.toString(plan.connections()),
        "--run-id", runId));
    args.addAll(more);
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve("baseline-" + client + "-" + runId + ".log");
      ChildProcess process = ChildProcess.start(ChildProcess.java(List.of("-Xmx512m"),
          "io.postroom.loadtest.baseline.BaselineMain", args), dir, log);
      return new BaselineRun(client, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void kill() {
    process.kill();
  }

  /** Waits for the baseline to finish and reads the JSON line it printed. */
  SenderResult result(String name, String note) {
    return SenderResult.ofBaseline(name, json(), note);
  }

  /** Waits for the baseline to finish; its JSON line. */
  JsonObject json() {
    try {
      if (!process.waitFor(Duration.ofMinutes(30))) {
        process.kill();
        throw new IllegalStateException(client + " did not finish in 30 minutes; see " + log);
      }
      List<String> lines = Files.readAllLines(log);
      String json = lines.stream().filter(line -> line.startsWith("{")).reduce((first, last) -> last)
          .orElseThrow(() -> new IllegalStateException(client + " printed no result (exit " + process.exitCode()
              + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()))));
      return new JsonObject(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
