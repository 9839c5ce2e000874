package io.postroom.loadtest.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one sender did in a benchmark run: how many messages, how fast, at what CPU cost and latency.
 *
 * @param name the sender, as the table prints it
 * @param sent messages the sink accepted (250)
 * @param failed messages that ended otherwise
 * @param seconds from the first message handed over to the last one finished
 * @param cpuMicrosPerMessage the sender process's CPU time over the run per message sent; for the
 *     dispatcher, every Kafka read, status write and offset commit is in it
 * @param latencyMillis p50, p95, p99: for the dispatcher from publishing the job to its SENT status
 *     (so time in the backlog counts); for the baselines from handing the message to the client to
 *     the 250
 * @param perSecond messages finished in each second of the run
 * @param peakHeapBytes the most heap the process used (sampled), 0 where not measured
 * @param peakRssBytes the process's peak resident memory (VmHWM), 0 where not measured
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
    String note) {

  public double messagesPerSecond() {
    return seconds > 0 ? sent / seconds : 0;
  }

  /**
   * Messages per second once warmed up: the mean of the run's second half, without its last
   * (partial) second. A JVM's JIT needs tens of seconds; the whole-run rate includes them.
   */
  public double steadyMessagesPerSecond() {
    if (perSecond.size() < 4) {
      return messagesPerSecond();
    }
    List<Long> secondHalf = perSecond.subList(perSecond.size() / 2, perSecond.size() - 1);
    return secondHalf.stream().mapToLong(Long::longValue).average().orElse(0);
  }

  /** Reads the JSON line a {@code BaselineMain} prints. */
  public static SenderResult ofBaseline(String name, JsonObject line, String note) {
    JsonObject latency = line.getJsonObject("latencyMillis", new JsonObject());
    List<Long> perSecond = line.getJsonArray("perSecond", new JsonArray()).stream()
        .map(n -> ((Number) n).longValue()).toList();
    return new SenderResult(name, line.getLong("sent", 0L), line.getLong("failed", 0L),
        number(line, "seconds"), number(line, "cpuMicrosPerMessage"),
        new double[] {number(latency, "p50"), number(latency, "p95"), number(latency, "p99")},
        perSecond, 0, 0, line.getString("firstError") == null ? note : note + "; first error: " + line.getString("firstError"));
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
        .put("seconds", round(seconds))
        .put("messagesPerSecond", round(messagesPerSecond()))
        .put("steadyMessagesPerSecond", round(steadyMessagesPerSecond()))
        .put("cpuMicrosPerMessage", round(cpuMicrosPerMessage))
        .put("latencyMillis", new JsonObject().put("p50", round(latencyMillis[0]))
            .put("p95", round(latencyMillis[1])).put("p99", round(latencyMillis[2])))
        .put("peakHeapBytes", peakHeapBytes)
        .put("peakRssBytes", peakRssBytes)
        .put("perSecond", new JsonArray(List.copyOf(perSecond)))
        .put("note", note);
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
