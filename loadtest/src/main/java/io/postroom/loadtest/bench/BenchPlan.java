package io.postroom.loadtest.bench;

import java.nio.file.Path;

/**
 * What {@code bin/postroom bench} measures; {@link Bench}'s options say what each part means.
 */
record BenchPlan(
    int jobs,
    int warmup,
    int reps,
    int size,
    int connections,
    int instances,
    int partitions,
    int tenants,
    boolean postfix,
    boolean memory,
    int backlog,
    int warmupJobs,
    boolean scale,
    boolean bulk,
    boolean dkim,
    boolean baselines,
    int perMessageSeconds,
    boolean flightRecording,
    Path out) {

  /** Whether messages carry an attachment (see BenchMessage): the table then reports MB/s too. */
  boolean large() {
    return size > io.postroom.loadtest.baseline.BenchMessage.TEXT_ONLY_LIMIT;
  }
}
