package io.postroom.loadtest.gatling;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a simulation is run with: system properties ({@code -Dpostroom.…}, forwarded to Gatling's JVM
 * by the gatling-maven-plugin), each with a default except the api key. {@code loadtest/gatling.sh}
 * sets them from its options.
 *
 * @param apiUrl           {@code postroom.api.url}: the api's base URL
 * @param apiKey           {@code postroom.api.key} (or the environment variable {@code POSTROOM_API_KEY}):
 *                         a key of {@code tenant}; required
 * @param tenant           {@code postroom.tenant}: the key's tenant, written into every job
 * @param from             {@code postroom.from}: the sender; its domain must be one of the tenant's senderDomains
 * @param singleRate       {@code postroom.single.usersPerSec}: new users per second posting one job each,
 *                         once the ramp is over
 * @param batchRate        {@code postroom.batch.usersPerSec}: new users per second posting one batch each
 * @param batchSize        {@code postroom.batch.size}: jobs per batch (the api's maxBatch is 500 by default)
 * @param ramp             {@code postroom.ramp} (seconds): rates climb from a tenth to the full rate over this
 * @param duration         {@code postroom.duration} (seconds): the whole injection, ramp included; the rest
 *                         of it runs at the full rate
 * @param repeatEvery      {@code postroom.repeatEvery}: every n-th single user posts its job a second time and
 *                         expects 200 (a repeated id); 0 for none
 * @param maxFailedPercent {@code postroom.maxFailedPercent}: assertion on the failed requests, all requests
 *                         and each kind
 * @param globalP99Millis  {@code postroom.p99Ms}: assertion on the p99 of all requests
 * @param singleP99Millis  {@code postroom.single.p99Ms}: assertion on the p99 of one-job requests
 * @param batchP99Millis   {@code postroom.batch.p99Ms}: assertion on the p99 of batch requests
 *                         (the defaults leave room for a 2-core machine that also runs the whole pipeline)
 * @param runId            {@code postroom.runId}: part of every job id, so that runs never repeat ids
 */
record LoadParameters(String apiUrl, String apiKey, String tenant, String from, double singleRate,
    double batchRate, int batchSize, Duration ramp, Duration duration, int repeatEvery, double maxFailedPercent,
    int globalP99Millis, int singleP99Millis, int batchP99Millis, String runId) {

  static final String PREFIX = "postroom.";

  LoadParameters {
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("postroom.api.key is required: the api key to post with (Authorization:"
          + " Bearer <key>), e.g. -Dpostroom.api.key=<the key bin/postroom demo prints> or the environment"
          + " variable POSTROOM_API_KEY; loadtest/gatling.sh sets it for you");
    }
    if (!apiUrl.startsWith("http://") && !apiUrl.startsWith("https://")) {
      throw new IllegalArgumentException("postroom.api.url must be an http(s) URL, not '" + apiUrl + "'");
    }
    apiUrl = apiUrl.replaceAll("/+$", "");
    require(singleRate >= 0 && batchRate >= 0 && singleRate + batchRate > 0,
        "postroom.single.usersPerSec and postroom.batch.usersPerSec must be >= 0, and one of them > 0");
    require(batchSize >= 1, "postroom.batch.size must be at least 1");
    require(!ramp.isNegative(), "postroom.ramp must be >= 0 seconds");
    require(duration.compareTo(ramp) >= 0 && !duration.isZero(),
        "postroom.duration (the whole injection, seconds) must be > 0 and at least postroom.ramp");
    require(repeatEvery >= 0, "postroom.repeatEvery must be >= 0");
    require(runId.matches("[A-Za-z0-9._-]{1,60}"), "postroom.runId: letters, digits, '.', '_', '-' only");
  }

  static LoadParameters fromSystemProperties() {
    return from(System.getProperties(), System.getenv());
  }

  static LoadParameters from(Properties properties, Map<String, String> environment) {
    Reader p = new Reader(properties);
    String key = p.string("api.key", environment.get("POSTROOM_API_KEY"));
    return new LoadParameters(
        p.string("api.url", "http://localhost:8080"),
        key,
        p.string("tenant", "demo"),
        p.string("from", "Gatling <noreply@example.gov.in>"),
        p.number("single.usersPerSec", 50),
        p.number("batch.usersPerSec", 2),
        (int) p.number("batch.size", 100),
        Duration.ofMillis(Math.round(p.number("ramp", 20) * 1000)),
        Duration.ofMillis(Math.round(p.number("duration", 60) * 1000)),
        (int) p.number("repeatEvery", 10),
        p.number("maxFailedPercent", 1.0),
        (int) p.number("p99Ms", 1500),
        (int) p.number("single.p99Ms", 1000),
        (int) p.number("batch.p99Ms", 1500),
        p.string("runId", defaultRunId()));
  }

  /** The part of the injection at the full rate. */
  Duration steady() {
    return duration.minus(ramp);
  }

  /** Everything but the key, for the log. */
  String describe() {
    return String.format("api %s (tenant %s, from %s), run %s: single %.1f users/s, batch %.2f users/s x %d jobs,"
        + " ramp %d s from a tenth, %d s in all, every %s single job repeated; assertions: failed < %.2f %%,"
        + " p99 all < %d ms, single < %d ms, batch < %d ms", apiUrl, tenant, from, runId, singleRate, batchRate, batchSize,
        ramp.toSeconds(), duration.toSeconds(), repeatEvery == 0 ? "no" : repeatEvery + "th", maxFailedPercent,
        globalP99Millis, singleP99Millis, batchP99Millis);
  }

  private static String defaultRunId() {
    return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** System properties under {@code postroom.}, with defaults and a clear error for a bad number. */
  private record Reader(Properties properties) {
    String string(String name, String fallback) {
      String value = properties.getProperty(PREFIX + name);
      return value == null || value.isBlank() ? fallback : value.trim();
    }

    double number(String name, double fallback) {
      String value = string(name, null);
      if (value == null) {
        return fallback;
      }
      try {
        double number = Double.parseDouble(value);
        if (Double.isNaN(number) || Double.isInfinite(number)) {
          throw new NumberFormatException();
        }
        return number;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PREFIX + name + " must be a number, not '" + value + "'");
      }
    }
  }
}
