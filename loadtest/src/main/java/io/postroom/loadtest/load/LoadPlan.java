package io.postroom.loadtest.load;

import java.util.List;
import java.util.Set;

/**
 * What {@code bin/postroom load} publishes: {@code --jobs N} (required, at most 10,000,000),
 * {@code --rate R} jobs per second (0: as fast as the broker takes them), {@code --tenants T},
 * {@code --size S} bytes of text per job, and where: {@code --bootstrap} (else
 * POSTROOM_KAFKA_BOOTSTRAP, else localhost:9092), {@code --topic} (mail.jobs). Values come as the next
 * argument or after {@code =}. A problem is an IllegalArgumentException naming the option.
 */
public record LoadPlan(long jobs, double rate, int tenants, int size, String bootstrap, String topic) {
  static final long MAX_JOBS = 10_000_000L;
  private static final Set<String> OPTIONS = Set.of("--jobs", "--rate", "--tenants", "--size", "--bootstrap", "--topic");

  public static LoadPlan parse(List<String> args, String bootstrapFromEnv) {
    CommandLine line = CommandLine.parse(args, OPTIONS, Set.of());
    if (!line.has("--jobs")) {
      throw new IllegalArgumentException("--jobs: required (how many jobs to publish, at most " + MAX_JOBS + ")");
    }
    String bootstrap = bootstrapFromEnv == null || bootstrapFromEnv.isBlank() ? "localhost:9092" : bootstrapFromEnv;
    return new LoadPlan(line.number("--jobs", 0, 1, MAX_JOBS), line.nonNegative("--rate", 0),
        (int) line.number("--tenants", 3, 1, 10_000), (int) line.number("--size", 1024, 1, 30_000_000),
        line.text("--bootstrap", bootstrap), line.text("--topic", "mail.jobs"));
  }
}
