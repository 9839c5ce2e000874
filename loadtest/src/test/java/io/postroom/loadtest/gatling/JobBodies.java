package io.postroom.loadtest.gatling;

import io.postroom.contract.JobJsonBuilder;
import io.postroom.contract.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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
    return builder(id, n).encode();
  }

  /** {@code {"jobs": [...]}} of {@code size} jobs, ids {@code <batchId>-0 .. <batchId>-(size-1)}. */
  String batch(String batchId, long n, int size) {
    JsonArray jobs = new JsonArray(new ArrayList<>(size));
    for (int i = 0; i < size; i++) {
      jobs.add(builder(batchId + "-" + i, n * size + i).toJson());
    }
    return new JsonObject().put("jobs", jobs).encode();
  }

  private JobJsonBuilder builder(String id, long n) {
    return new JobJsonBuilder()
        .id(id)
        .tenant(tenant)
        .from(from)
        .to("citizen" + n % 100_000 + "@example.org")
        .subject("Load test " + id)
        .text("Dear citizen,\r\nthis is load test job " + id + ".\r\nRegards\r\n")
        .header("X-Campaign", "gatling")
        .priority(Priority.NORMAL);
  }
}
