package io.postroom.loadtest.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What one sender did in one measured window of a benchmark run: how many messages, how fast, at
 * what CPU cost and latency.
 *
 * @param name the sender, as the table prints it
 * @param sent messages the sink accepted (250) in the window
 * @param failed messages of the window that ended otherwise
 * @param seconds the window: from the first message handed over to the last one finished (see
 *     docs/benchmark.md for each sender's exact start)
 * @param cpuMicrosPerMessage the sender process's CPU time over the window per message sent; for the
 *     dispatcher and the Kafka ceiling, every Kafka read, status write and offset commit is in it
 * @param latencyMillis p50, p95, p99: for the dispatcher and the Kafka ceiling from publishing the
 *     job to its SENT status (time in the backlog counts); for the baselines from handing the message
 *     to the client to the 250; NaN where not meaningful (the cold dispatcher's backlog)
 * @param perSecond messages finished in each second of the window, counted from its start
 * @param peakHeapBytes the most heap the process used (from its GC log), 0 where not measured
 * @param peakRssBytes the process's peak resident memory (VmHWM), 0 where not measured
 * @param busyCores the whole machine's mean busy cores over the window, NaN where unknown
 * @param startSeconds the cold dispatcher's start: from forking its JVM to its first terminal status;
 *     NaN for the others
 * @param warmupSent messages the sink accepted before the window, from the same process
 * @param moved {@code postroom_jobs_moved_total} by destination ({@code lane}, {@code retry}) for
 *     the dispatcher; empty for the others
 * @param note what the reader must know to read the numbers, or empty
 */
public record SenderResult(
    String name,
    long sent,
    long failed,
    double seconds,
    double cpuMicrosPerMessage,
    double[] latencyMillis,
    List<Long> perSecond,
    long peakHeapBytes,
    long peakRssBytes,
    double busyCores,
    double startSeconds,
    long warmupSent,
    Map<String, Long> moved,
    String note) {

  public double messagesPerSecond() {
    return seconds > 0 ? sent / seconds : 0;
  }

  /**
   * Messages per second once warmed up: the mean of the window's second half, without its last
   * (partial) second.
   */
  public double steadyMessagesPerSecond() {
    if (perSecond.size() < 4) {
      return messagesPerSecond();
    }
    List<Long> secondHalf = perSecond.subList(perSecond.size() / 2, perSecond.size() - 1);
    return secondHalf.stream().mapToLong(Long::longValue).average().orElse(0);
  }

  /** Seconds from the window's start to its steady state ({@link SteadyState}); -1 if it has none. */
  public int secondsToSteady() {
    return SteadyState.secondsToSteady(perSecond, seconds);
  }

  /** Reads the JSON line a {@code BaselineMain} prints. */
  public static SenderResult ofBaseline(String name, JsonObject line, String note) {
    JsonObject latency = line.getJsonObject("latencyMillis", new JsonObject());
    List<Long> perSecond = line.getJsonArray("perSecond", new JsonArray()).stream()
        .map(n -> ((Number) n).longValue()).toList();
    return new SenderResult(name, line.getLong("sent", 0L), line.getLong("failed", 0L),
        number(line, "seconds"), number(line, "cpuMicrosPerMessage"),
        new double[] {number(latency, "p50"), number(latency, "p95"), number(latency, "p99")},
        perSecond, 0, 0, number(line, "busyCores"), Double.NaN, line.getLong("warmupSent", 0L), Map.of(),
        line.getString("firstError") == null ? note : note + "; first error: " + line.getString("firstError"));
  }

  /** A number of the line; 0 where it is null, as when nothing was sent. */
  private static double number(JsonObject json, String key) {
    Number value = json.getNumber(key);
    return value == null ? 0 : value.doubleValue();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("sent", sent)
        .put("failed", failed)
        .put("warmupSent", warmupSent)
        .put("seconds", round(seconds))
        .put("messagesPerSecond", round(messagesPerSecond()))
        .put("steadyMessagesPerSecond", round(steadyMessagesPerSecond()))
        .put("secondsToSteady", secondsToSteady())
        .put("cpuMicrosPerMessage", round(cpuMicrosPerMessage))
        .put("busyCores", Double.isNaN(busyCores) ? null : Math.round(busyCores * 100) / 100.0)
        .put("startSeconds", Double.isNaN(startSeconds) ? null : round(startSeconds))
        .put("latencyMillis", new JsonObject().put("p50", finite(latencyMillis[0]))
            .put("p95", finite(latencyMillis[1])).put("p99", finite(latencyMillis[2])))
        .put("peakHeapBytes", peakHeapBytes)
        .put("peakRssBytes", peakRssBytes)
        .put("jobsMoved", new JsonObject(Map.copyOf(moved)))
        .put("perSecond", new JsonArray(List.copyOf(perSecond)))
        .put("note", note);
  }

  private static Double finite(double value) {
    return Double.isNaN(value) ? null : round(value);
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
