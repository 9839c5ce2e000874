package io.postroom.api.dashboard;

import io.postroom.api.bulk.BulkSends;
import io.postroom.api.status.JobStatusStore;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.bulk.BulkControl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The bulk sends the dashboard shows: the {@value #SHOWN} most recently active (a status event of
 * one of their recipients read, or a part uploaded), each with its progress, its counts, the rate at
 * which its recipients finish over the last {@link #RATE_WINDOW} and the time left at that rate.
 * One entry per send, never per recipient: the counts come from the status store ({@link Source})
 * once a second, and the rate from the finished counts of those seconds. A send whose recipients
 * have all finished drops off {@link #LINGER} after its last event; one that stopped without
 * finishing (and is not paused) after {@link #IDLE}. Fed on the status follower's thread, read on a
 * worker: synchronized.
 */
public final class BulkBoard {
  public static final int SHOWN = 20;
  static final Duration RATE_WINDOW = Duration.ofSeconds(10);
  static final Duration LINGER = Duration.ofMinutes(5);
  static final Duration IDLE = Duration.ofHours(1);

  /** What is known of a send elsewhere; blocking calls are fine, {@link #snapshot} runs on a worker. */
  public interface Source {
    /** How many of the send's recipients are in each state (the status store). */
    Map<State, Long> counts(String tenant, String id);

    /** Recipients accepted by the api's uploads of the send; 0 when it was published on mail.jobs directly. */
    long accepted(String tenant, String id);

    /** The state the tenant asked for. */
    BulkControl.Mode control(String tenant, String id);

    /** The api's own: the status store's counts, the uploads and controls read from the bulk topics. */
    static Source of(JobStatusStore store, BulkSends sends) {
      return new Source() {
        @Override
        public Map<State, Long> counts(String tenant, String id) {
          return store.bulkCounts(tenant, id);
        }

        @Override
        public long accepted(String tenant, String id) {
          return sends.accepted(tenant, id);
        }

        @Override
        public BulkControl.Mode control(String tenant, String id) {
          return sends.control(tenant, id);
        }
      };
    }
  }

  private record Key(String tenant, String id) {
  }

  private record Sample(long atMillis, long finished) {
  }

  private static final class Tracked {
    private Instant lastActive;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    private Tracked(Instant lastActive) {
      this.lastActive = lastActive;
    }
  }

  private final LongSupplier clockMillis;
  /** In the order they were last active, the most recent last; at most {@value #SHOWN}. */
  private final LinkedHashMap<Key, Tracked> sends = new LinkedHashMap<>();

  public BulkBoard(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  /** Status events read: those of a bulk send's recipients make it active at the event's time. */
  public synchronized void record(List<StatusEvent> events) {
    for (StatusEvent event : events) {
      if (event.bulkId() != null) {
        active(event.tenant(), event.bulkId(), event.at());
      }
    }
  }

  /** A part of the send was uploaded at {@code at} (null: now). */
  public synchronized void active(String tenant, String id, Instant at) {
    Key key = new Key(tenant == null ? "" : tenant, id);
    Instant when = at == null ? Instant.ofEpochMilli(clockMillis.getAsLong()) : at;
    Tracked tracked = sends.remove(key);
    if (tracked == null) {
      tracked = new Tracked(when);
    } else if (when.isAfter(tracked.lastActive)) {
      tracked.lastActive = when;
    }
    sends.put(key, tracked);
    while (sends.size() > SHOWN) {
      sends.remove(sends.keySet().iterator().next());
    }
  }

  /**
   * The sends to show, most recently active first: {@code tenant}, {@code id}, {@code control},
   * {@code recipients} (accepted, or the jobs seen when the api did not upload it), {@code jobs},
   * {@code finished}, {@code progress} (0–1), {@code sent}, {@code failed} (FAILED and EXPIRED),
   * {@code cancelled}, {@code rejected}, {@code other} (DUPLICATE, SUPPRESSED), {@code ratePerSecond}
   * (recipients finished per second, null until two samples a second apart) and {@code etaSeconds}
   * (null while paused, cancelled or not moving). Call once per tick: each call takes a rate sample.
   */
  public JsonArray snapshot(Source source) {
    List<Map.Entry<Key, Tracked>> tracked;
    synchronized (this) {
      tracked = new ArrayList<>(sends.entrySet());
    }
    JsonArray rows = new JsonArray();
    for (int i = tracked.size() - 1; i >= 0; i--) {
      Key key = tracked.get(i).getKey();
      Map<State, Long> counts = source.counts(key.tenant(), key.id());
      long accepted = source.accepted(key.tenant(), key.id());
      BulkControl.Mode control = source.control(key.tenant(), key.id());
      JsonObject row = row(key, tracked.get(i).getValue(), counts, accepted, control);
      if (row != null) {
        rows.add(row);
      }
    }
    return rows;
  }

  private synchronized JsonObject row(Key key, Tracked tracked, Map<State, Long> counts, long accepted,
      BulkControl.Mode control) {
    long now = clockMillis.getAsLong();
    long jobs = 0;
    long finished = 0;
    for (Map.Entry<State, Long> count : counts.entrySet()) {
      jobs += count.getValue();
      finished += count.getKey().terminal() ? count.getValue() : 0;
    }
    long recipients = Math.max(accepted, jobs);
    boolean done = recipients > 0 && finished >= recipients;
    long idleMillis = now - tracked.lastActive.toEpochMilli();
    if ((done && idleMillis > LINGER.toMillis())
        || (control != BulkControl.Mode.PAUSED && idleMillis > IDLE.toMillis())) {
      sends.remove(key, tracked);
      return null;
    }
    Double rate = rate(tracked.samples, now, finished);
    Long eta = done ? Long.valueOf(0) : control != BulkControl.Mode.RUNNING || rate == null || rate <= 0 ? null
        : (long) Math.ceil((recipients - finished) / rate);
    return new JsonObject().put("tenant", key.tenant()).put("id", key.id()).put("control", control.name())
        .put("recipients", recipients).put("jobs", jobs).put("finished", finished)
        .put("progress", recipients == 0 ? 0.0 : Math.min(1.0, (double) finished / recipients))
        .put("sent", count(counts, State.SENT)).put("failed", count(counts, State.FAILED, State.EXPIRED))
        .put("cancelled", count(counts, State.CANCELLED)).put("rejected", count(counts, State.REJECTED))
        .put("other", count(counts, State.DUPLICATE, State.SUPPRESSED))
        .put("ratePerSecond", rate).put("etaSeconds", eta).put("lastEvent", tracked.lastActive.toString());
  }

  /** Recipients finished per second from the oldest sample of the window to now; null over less than a second. */
  private static Double rate(ArrayDeque<Sample> samples, long now, long finished) {
    samples.addLast(new Sample(now, finished));
    while (samples.peekFirst().atMillis() < now - RATE_WINDOW.toMillis()) {
      samples.removeFirst();
    }
    Sample oldest = samples.peekFirst();
    long span = now - oldest.atMillis();
    return span < 1000 ? null : Math.max(0, finished - oldest.finished()) * 1000.0 / span;
  }

  private static long count(Map<State, Long> counts, State... states) {
    long sum = 0;
    for (State state : states) {
      sum += counts.getOrDefault(state, 0L);
    }
    return sum;
  }
}
