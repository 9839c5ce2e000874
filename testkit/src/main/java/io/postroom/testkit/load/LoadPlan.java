package io.postroom.testkit.load;

import java.util.List;

/**
 * What {@code bin/postroom load} publishes: {@code --jobs N} (required, at most 10,000,000),
 * {@code --rate R} jobs per second (0: as fast as the broker takes them), {@code --tenants T},
 * {@code --size S} bytes of text per job, and where: {@code --bootstrap} (else
 * POSTROOM_KAFKA_BOOTSTRAP, else localhost:9092), {@code --topic} (mail.jobs). Values come as the next
 * argument or after {@code =}. A problem is an IllegalArgumentException naming the option.
 */
public record LoadPlan(long jobs, double rate, int tenants, int size, String bootstrap, String topic) {
  static final long MAX_JOBS = 10_000_000L;
  private static final List<String> OPTIONS = List.of("--jobs", "--rate", "--tenants", "--size", "--bootstrap", "--topic");

  public static LoadPlan parse(List<String> args, String bootstrapFromEnv) {
    Long jobs = null;
    double rate = 0;
    int tenants = 3;
    int size = 1024;
    String bootstrap = bootstrapFromEnv == null || bootstrapFromEnv.isBlank() ? "localhost:9092" : bootstrapFromEnv;
    String topic = "mail.jobs";
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int equals = arg.indexOf('=');
      String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      String value = option.equals(arg) ? null : arg.substring(equals + 1);
      if (!OPTIONS.contains(option)) {
        throw new IllegalArgumentException(arg + ": unknown; the options are " + String.join(", ", OPTIONS));
      }
      if (value == null) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new IllegalArgumentException(option + ": needs a value");
        }
        value = args.get(++i);
      }
      switch (option) {
        case "--jobs" -> jobs = number(option, value, 1, MAX_JOBS);
        case "--rate" -> rate = decimal(option, value);
        case "--tenants" -> tenants = (int) number(option, value, 1, 10_000);
        case "--size" -> size = (int) number(option, value, 1, 30_000_000);
        case "--bootstrap" -> bootstrap = value;
        default -> topic = value;
      }
    }
    if (jobs == null) {
      throw new IllegalArgumentException("--jobs: required (how many jobs to publish, at most " + MAX_JOBS + ")");
    }
    return new LoadPlan(jobs, rate, tenants, size, bootstrap, topic);
  }

  private static long number(String option, String value, long min, long max) {
    try {
      long n = Long.parseLong(value.trim().replace("_", "").replace(",", ""));
      if (n < min || n > max) {
        throw new IllegalArgumentException(option + ": must be from " + min + " to " + max + ", got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not a whole number");
    }
  }

  private static double decimal(String option, String value) {
    try {
      double d = Double.parseDouble(value.trim());
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(option + ": must be 0 (no limit) or a positive number, got " + value);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not a number");
    }
  }
}
