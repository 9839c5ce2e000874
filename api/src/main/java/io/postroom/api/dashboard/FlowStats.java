package io.postroom.api.dashboard;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * What the dashboard shows of the mail flow, counted from the status events this api reads: totals
 * per state (terminal states once per job, RETRYING once per retried attempt), events per second
 * over the last {@value #SECONDS} seconds, the most frequent failure reasons and the latest
 * failures. E-mail addresses in reasons are masked: the dashboard is for operators, not a view
 * into who is mailed. Fed on the status follower's thread, read on the event loop: synchronized.
 */
public final class FlowStats {
  public static final int SECONDS = 120;
  private static final int RECENT = 20;
  /** Distinct reasons counted; a relay inventing new enhanced codes without end goes under "other". */
  private static final int MAX_REASONS = 500;
  private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)");
  private static final List<State> PER_SECOND = List.of(State.SENT, State.FAILED, State.RETRYING);

  private final LongSupplier clockMillis;
  private final Map<State, Long> totals = new EnumMap<>(State.class);
  private final Map<String, Long> reasons = new HashMap<>();
  private final ArrayDeque<JsonObject> recentFailures = new ArrayDeque<>();
  /** second (epoch) → counts per state of that second; only the last SECONDS are kept. */
  private final Map<Long, Map<State, Long>> perSecond = new HashMap<>();

  public FlowStats(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  public synchronized void record(List<StatusEvent> events) {
    long second = clockMillis.getAsLong() / 1000;
    for (StatusEvent event : events) {
      totals.merge(event.state(), 1L, Long::sum);
      perSecond.computeIfAbsent(second, s -> new EnumMap<>(State.class)).merge(event.state(), 1L, Long::sum);
      if (event.state() == State.FAILED || event.state() == State.EXPIRED || event.state() == State.REJECTED) {
        String reason = reason(event);
        reasons.merge(reasons.containsKey(reason) || reasons.size() < MAX_REASONS ? reason : "other", 1L, Long::sum);
        recentFailures.addFirst(new JsonObject().put("id", event.id()).put("tenant", event.tenant())
            .put("state", event.state().name()).put("reason", reason)
            .put("error", event.error() == null ? null : mask(event.error()))
            .put("at", event.at() == null ? null : event.at().toString()));
        while (recentFailures.size() > RECENT) {
          recentFailures.removeLast();
        }
      }
    }
    perSecond.keySet().removeIf(s -> s <= second - SECONDS);
  }

  /** The snapshot the dashboard draws. */
  public synchronized JsonObject snapshot() {
    long now = clockMillis.getAsLong() / 1000;
    JsonObject totalsJson = new JsonObject();
    for (State state : State.values()) {
      totalsJson.put(state.name(), totals.getOrDefault(state, 0L));
    }
    JsonObject series = new JsonObject();
    for (State state : PER_SECOND) {
      JsonArray values = new JsonArray();
      for (long s = now - SECONDS + 1; s <= now; s++) {
        Map<State, Long> counts = perSecond.get(s);
        values.add(counts == null ? 0L : counts.getOrDefault(state, 0L));
      }
      series.put(state.name(), values);
    }
    JsonArray top = new JsonArray();
    reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(10).forEach(e -> top.add(new JsonObject().put("reason", e.getKey()).put("count", e.getValue())));
    return new JsonObject().put("totals", totalsJson).put("perSecond", series).put("topReasons", top)
        .put("recentFailures", new JsonArray(List.copyOf(recentFailures)));
  }

  /** "RELAY_REJECTED 550 5.1.1": code and reply codes, never the addresses. */
  static String reason(StatusEvent event) {
    StringBuilder reason = new StringBuilder(event.errorCode() == null ? event.state().name() : event.errorCode().name());
    if (event.smtpCode() != null) {
      reason.append(' ').append(event.smtpCode());
    }
    if (event.enhancedCode() != null) {
      reason.append(' ').append(event.enhancedCode());
    }
    return reason.toString();
  }

  static String mask(String text) {
    return EMAIL.matcher(text).replaceAll("$1***@$2");
  }
}
