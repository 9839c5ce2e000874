package io.postroom.loadtest.gatling;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request bodies of the simulations: small, valid notification jobs (about 300 bytes each), one
 * per request or {@code {"jobs": [...]}}, with ids unique per run ({@code gatling-<run>-<kind><n>}).
 */
final class JobBodies {
  private final String tenant;
  private final String from;
  private final String runId;

  JobBodies(String tenant, String from, String runId) {
    this.tenant = tenant;
    this.from = from;
    this.runId = runId;
  }

  /**
   * An endless feeder of {@code n} (1, 2, 3, …) and {@code id} ({@code gatling-<run>-<kind><n>}).
   * Gatling polls a feeder under a lock, the counter is atomic anyway.
   */
  Iterator<Map<String, Object>> feeder(String kind) {
    AtomicLong counter = new AtomicLong();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        long n = counter.incrementAndGet();
        return Map.of("n", n, "id", id(kind, n));
      }
    };
  }

  String id(String kind, long n) {
    return "gatling-" + runId + "-" + kind + n;
  }

  /** One job as its own request body. */
  String job(String id, long n) {
    return append(new StringBuilder(400), id, n).toString();
  }

  /** {@code {"jobs": [...]}} of {@code size} jobs, ids {@code <batchId>-0 .. <batchId>-(size-1)}. */
  String batch(String batchId, long n, int size) {
    StringBuilder json = new StringBuilder(16 + 330 * size).append("{\"jobs\":[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        json.append(',');
      }
      append(json, batchId + "-" + i, n * size + i);
    }
    return json.append("]}").toString();
  }

  private StringBuilder append(StringBuilder json, String id, long n) {
    String quotedId = quote(id);
    return json.append("{\"id\":").append(quotedId)
        .append(",\"tenant\":").append(quote(tenant))
        .append(",\"from\":").append(quote(from))
        .append(",\"to\":[\"citizen").append(n % 100_000).append("@example.org\"]")
        .append(",\"subject\":").append(quote("Load test " + id))
        .append(",\"text\":").append(quote("Dear citizen,\r\nthis is load test job " + id + ".\r\nRegards\r\n"))
        .append(",\"headers\":{\"X-Campaign\":\"gatling\"}")
        .append(",\"priority\":\"normal\"}");
  }

  /** A JSON string literal. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
