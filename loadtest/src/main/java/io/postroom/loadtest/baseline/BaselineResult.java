package io.postroom.loadtest.baseline;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a baseline run measured; {@link #toJson()} is the line {@code BaselineMain} prints.
 *
 * @param messages how many messages were asked for
 * @param sent how many the relay accepted (250 after the data)
 * @param failed how many failed; after the first failure no new message is started
 * @param firstError the first failure in words, null if none
 * @param seconds wall time from the first send (connecting included) to the last completion
 * @param cpuMicrosPerMessage this process's CPU time over that window divided by {@code sent}; null
 *     if nothing was sent
 * @param latencyMillis of the messages sent: from being handed to the client to their 250
 * @param perSecond the messages sent in each wall-clock second of the run
 * @param timeBoxed whether {@code --max-seconds} stopped the run before every message was started
 * @param warmup warm-up messages asked for before the measured window, in the same JVM
 * @param warmupSent warm-up messages the relay accepted
 * @param busyCores the whole machine's mean busy cores over the measured window ({@code /proc/stat})
 */
public record BaselineResult(
    String client,
    int connections,
    int messages,
    int sent,
    int failed,
    String firstError,
    double seconds,
    double messagesPerSecond,
    Double cpuMicrosPerMessage,
    Latency latencyMillis,
    List<Integer> perSecond,
    boolean timeBoxed,
    int warmup,
    int warmupSent,
    double busyCores) {

  /** Latency percentiles in milliseconds; null values if nothing was sent. */
  public record Latency(Double p50, Double p95, Double p99) {
    JsonObject toJson() {
      return new JsonObject().put("p50", p50).put("p95", p95).put("p99", p99);
    }
  }

  public BaselineResult {
    perSecond = List.copyOf(perSecond);
  }

  /**
   * 0 when every message was sent (or, time-boxed, every message started was), 1 when any failed.
   * 2, bad arguments, is {@code BaselineMain}'s.
   */
  public int exitCode() {
    return failed == 0 && (sent == messages || timeBoxed) ? 0 : 1;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("client", client)
        .put("connections", connections)
        .put("messages", messages)
        .put("sent", sent)
        .put("failed", failed)
        .put("firstError", firstError)
        .put("seconds", seconds)
        .put("messagesPerSecond", messagesPerSecond)
        .put("cpuMicrosPerMessage", cpuMicrosPerMessage)
        .put("latencyMillis", latencyMillis.toJson())
        .put("perSecond", new JsonArray(List.copyOf(perSecond)))
        .put("warmup", warmup)
        .put("warmupSent", warmupSent)
        .put("busyCores", busyCores);
  }
}
