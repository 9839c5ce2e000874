package io.postroom.api.dashboard;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Each tenant's mail health over the last {@link #WINDOW}, counted from the {@code mail.status}
 * events this api reads (every replica reads the whole topic, so every replica counts every
 * event): mails SENT, BOUNCED by kind, COMPLAINED, recipients left out because suppressed, and
 * unsubscribes (from {@code mail.suppressions}, {@link #record(Suppression)}). Events go into the
 * {@value #BUCKETS} buckets of {@link #BUCKET} their own time ({@code at}) falls in, so a replica
 * reading the topic again counts the same window; events older than the window are not counted.
 *
 * <p>Memory is bounded: a fixed ring of buckets per tenant (about 7 KB) and at most
 * {@value #MAX_TENANTS} tenants plus {@value #OTHER}; a tenant without an event in the window is forgotten, and events of tenants beyond the
 * bound are counted under {@value #OTHER}. The running totals are the api's counter
 * {@code postroom_tenant_mail_total{tenant,event}} for Prometheus. Fed on the status follower's
 * thread, read on the event loop: synchronized (the counters read atomics).
 */
public final class TenantHealth {
  public static final String METRIC = "postroom_tenant_mail_total";
  public static final Duration WINDOW = Duration.ofHours(24);
  static final Duration BUCKET = Duration.ofMinutes(15);
  static final int BUCKETS = (int) (WINDOW.toMillis() / BUCKET.toMillis());
  public static final int MAX_TENANTS = 500;
  /** The tenant events are counted under once {@value #MAX_TENANTS} tenants are. */
  public static final String OTHER = "(other)";
  /** Tenants the dashboard shows: those over a line first, then the largest senders. */
  public static final int SHOWN = 30;
  /** Gmail's and Yahoo's bulk sender rule: stay below 0.3 % of mail reported as spam. */
  public static final double COMPLAINT_LIMIT = 0.003;
  /** Hard and soft bounces above this share of mail sent: the list needs cleaning. */
  public static final double BOUNCE_LIMIT = 0.05;

  /** What is counted; {@link #label} is the counter's {@code event} label. */
  public enum Event {
    SENT, BOUNCED_HARD, BOUNCED_SOFT, BOUNCED_POLICY, COMPLAINED,
    /** Recipients left out because suppressed: of SENT jobs ({@code suppressedRecipients}) and of SUPPRESSED jobs. */
    SUPPRESSED,
    /** Jobs that ended SUPPRESSED: every recipient suppressed. */
    SUPPRESSED_JOBS,
    /** Suppressions with reason UNSUBSCRIBED; not exported (the api's postroom_api_unsubscribes_total counts them where they happen). */
    UNSUBSCRIBED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean exported() {
      return this != UNSUBSCRIBED;
    }
  }

  private static final int EVENTS = Event.values().length;

  /** One tenant's ring of buckets and running totals. */
  private static final class Tally {
    /** Which bucket (epoch millis / BUCKET) each slot holds now; -1: none yet. */
    private final long[] bucketOf = new long[BUCKETS];
    private final long[][] counts = new long[BUCKETS][EVENTS];
    private final AtomicLongArray totals = new AtomicLongArray(EVENTS);
    private final List<Meter> meters = new ArrayList<>();
    private long lastBucket = -1;

    private Tally() {
      Arrays.fill(bucketOf, -1);
    }

    private void add(long bucket, Event event, long n) {
      int slot = (int) (bucket % BUCKETS);
      if (bucketOf[slot] != bucket) {
        bucketOf[slot] = bucket;
        Arrays.fill(counts[slot], 0);
      }
      counts[slot][event.ordinal()] += n;
      totals.addAndGet(event.ordinal(), n);
      lastBucket = Math.max(lastBucket, bucket);
    }

    private long[] window(long nowBucket) {
      long[] sum = new long[EVENTS];
      for (int slot = 0; slot < BUCKETS; slot++) {
        if (bucketOf[slot] > nowBucket - BUCKETS && bucketOf[slot] <= nowBucket) {
          for (int e = 0; e < EVENTS; e++) {
            sum[e] += counts[slot][e];
          }
        }
      }
      return sum;
    }
  }

  private final LongSupplier clockMillis;
  private final MeterRegistry registry;
  private final Map<String, Tally> tenants = new HashMap<>();
  private long prunedAt = -1;

  /** @param registry where the counters go; null for none */
  public TenantHealth(LongSupplier clockMillis, MeterRegistry registry) {
    this.clockMillis = clockMillis;
    this.registry = registry;
  }

  /** Status events read from {@code mail.status}; only terminal states and follow-ups count. */
  public synchronized void record(List<StatusEvent> events) {
    long now = clockMillis.getAsLong();
    prune(now);
    for (StatusEvent event : events) {
      if (event.state() == null) {
        continue;
      }
      int left = event.suppressedRecipients().size();
      switch (event.state()) {
        case SENT -> {
          add(event.tenant(), event.at(), now, Event.SENT, 1);
          add(event.tenant(), event.at(), now, Event.SUPPRESSED, left);
        }
        case SUPPRESSED -> {
          add(event.tenant(), event.at(), now, Event.SUPPRESSED_JOBS, 1);
          add(event.tenant(), event.at(), now, Event.SUPPRESSED, Math.max(1, left));
        }
        case BOUNCED -> add(event.tenant(), event.at(), now, bounce(event), 1);
        case COMPLAINED -> add(event.tenant(), event.at(), now, Event.COMPLAINED, 1);
        default -> {
          if (event.state().terminal()) {
            add(event.tenant(), event.at(), now, Event.SUPPRESSED, left);
          }
        }
      }
    }
  }

  /** A suppression read from {@code mail.suppressions}: an unsubscribe counts at its time. */
  public synchronized void record(Suppression suppression) {
    long now = clockMillis.getAsLong();
    prune(now);
    if (suppression.reason() == SuppressionReason.UNSUBSCRIBED) {
      add(suppression.tenant(), suppression.at(), now, Event.UNSUBSCRIBED, 1);
    }
  }

  /** A BOUNCED event without a kind counts as soft: it raises the bounce rate without claiming a dead address. */
  private static Event bounce(StatusEvent event) {
    BounceKind kind = event.followUp() == null ? null : event.followUp().kind();
    if (kind == null) {
      return Event.BOUNCED_SOFT;
    }
    return switch (kind) {
      case HARD -> Event.BOUNCED_HARD;
      case POLICY -> Event.BOUNCED_POLICY;
      case COMPLAINT -> Event.COMPLAINED;
      case SOFT -> Event.BOUNCED_SOFT;
    };
  }

  private void add(String tenant, Instant at, long now, Event event, long n) {
    if (n <= 0) {
      return;
    }
    // a clock ahead of ours counts now; an event older than the window (a replay) not at all
    long millis = at == null ? now : Math.min(at.toEpochMilli(), now);
    long bucket = millis / BUCKET.toMillis();
    if (bucket <= now / BUCKET.toMillis() - BUCKETS) {
      return;
    }
    tally(tenant == null || tenant.isEmpty() ? "(none)" : tenant).add(bucket, event, n);
  }

  private Tally tally(String tenant) {
    Tally tally = tenants.get(tenant);
    if (tally != null) {
      return tally;
    }
    int named = tenants.size() - (tenants.containsKey(OTHER) ? 1 : 0);
    String name = named < MAX_TENANTS || tenant.equals(OTHER) ? tenant : OTHER;
    return tenants.computeIfAbsent(name, this::register);
  }

  private Tally register(String tenant) {
    Tally tally = new Tally();
    if (registry != null) {
      for (Event event : Event.values()) {
        if (event.exported()) {
          tally.meters.add(FunctionCounter.builder(METRIC, tally, t -> t.totals.get(event.ordinal()))
              .description("Mail events of the tenant read from mail.status within the last 24 h of their time:"
                  + " sent, bounced_hard, bounced_soft, bounced_policy, complained, suppressed (recipients left out),"
                  + " suppressed_jobs; every api replica counts every event")
              .tag("tenant", tenant).tag("event", event.label()).register(registry));
        }
      }
    }
    return tally;
  }

  /** Forgets the tenants without an event in the window, and their counters; once a bucket. */
  private void prune(long now) {
    long nowBucket = now / BUCKET.toMillis();
    if (nowBucket == prunedAt) {
      return;
    }
    prunedAt = nowBucket;
    tenants.values().removeIf(tally -> {
      if (tally.lastBucket > nowBucket - BUCKETS) {
        return false;
      }
      if (registry != null) {
        tally.meters.forEach(registry::remove);
      }
      return true;
    });
  }

  /** A tenant's counts over the window; all zero for a tenant not counted. */
  public synchronized Map<Event, Long> window(String tenant) {
    Tally tally = tenants.get(tenant);
    long[] sum = tally == null ? new long[EVENTS] : tally.window(clockMillis.getAsLong() / BUCKET.toMillis());
    Map<Event, Long> counts = new EnumMap<>(Event.class);
    for (Event event : Event.values()) {
      counts.put(event, sum[event.ordinal()]);
    }
    return counts;
  }

  /** The tenants counted now ({@value #OTHER} among them once the bound is reached). */
  public synchronized int tenants() {
    return tenants.size();
  }

  /**
   * The rows the dashboard shows, at most {@value #SHOWN}: tenants over the complaint or bounce
   * line (or whose mail could not be signed) first, then by mails sent. Each: {@code tenant}, {@code sent}, {@code bouncedHard},
   * {@code bouncedSoft}, {@code bouncedPolicy}, {@code complained}, {@code suppressed} (recipients),
   * {@code suppressedJobs}, {@code unsubscribed}, {@code bounceRate} and {@code complaintRate}
   * (shares of sent; null while nothing was sent), {@code overComplaintLimit}, {@code overBounceLimit}.
   */
  public JsonArray snapshot() {
    return snapshot(new JsonObject());
  }

  /**
   * The same rows, each with the tenant's DKIM counts as the dispatchers report them ({@code
   * dkimSigned}, {@code dkimUnsigned}, {@code dkimFailures}: since the dispatchers started), from
   * {@code {tenant: {signed, unsigned, failures}}}; a tenant with unsigned mail or signing failures
   * and no mail event in the window gets a row of its own.
   */
  public synchronized JsonArray snapshot(JsonObject dkim) {
    long nowBucket = clockMillis.getAsLong() / BUCKET.toMillis();
    List<JsonObject> rows = new ArrayList<>();
    for (Map.Entry<String, Tally> entry : tenants.entrySet()) {
      long[] sum = entry.getValue().window(nowBucket);
      JsonObject counts = dkim.getJsonObject(entry.getKey(), new JsonObject());
      if (Arrays.stream(sum).allMatch(n -> n == 0) && !troubled(counts)) {
        continue;
      }
      rows.add(withDkim(row(entry.getKey(), sum), counts));
    }
    for (String tenant : dkim.fieldNames()) {
      if (!tenants.containsKey(tenant) && troubled(dkim.getJsonObject(tenant))) {
        rows.add(withDkim(row(tenant, new long[EVENTS]), dkim.getJsonObject(tenant)));
      }
    }
    rows.sort(Comparator.<JsonObject, Boolean>comparing(r -> !(r.getBoolean("overComplaintLimit")
            || r.getBoolean("overBounceLimit") || r.getLong("dkimFailures") > 0))
        .thenComparing(r -> -r.getLong("sent")).thenComparing(r -> r.getString("tenant")));
    return new JsonArray(new ArrayList<>(rows.subList(0, Math.min(SHOWN, rows.size()))));
  }

  private static boolean troubled(JsonObject dkim) {
    return dkim.getLong("unsigned", 0L) > 0 || dkim.getLong("failures", 0L) > 0;
  }

  private static JsonObject withDkim(JsonObject row, JsonObject dkim) {
    return row.put("dkimSigned", dkim.getLong("signed", 0L)).put("dkimUnsigned", dkim.getLong("unsigned", 0L))
        .put("dkimFailures", dkim.getLong("failures", 0L));
  }

  private static JsonObject row(String tenant, long[] sum) {
    long sent = sum[Event.SENT.ordinal()];
    long bounced = sum[Event.BOUNCED_HARD.ordinal()] + sum[Event.BOUNCED_SOFT.ordinal()];
    long complained = sum[Event.COMPLAINED.ordinal()];
    Double bounceRate = sent == 0 ? null : (double) bounced / sent;
    Double complaintRate = sent == 0 ? null : (double) complained / sent;
    return new JsonObject().put("tenant", tenant).put("sent", sent)
        .put("bouncedHard", sum[Event.BOUNCED_HARD.ordinal()]).put("bouncedSoft", sum[Event.BOUNCED_SOFT.ordinal()])
        .put("bouncedPolicy", sum[Event.BOUNCED_POLICY.ordinal()]).put("complained", complained)
        .put("suppressed", sum[Event.SUPPRESSED.ordinal()]).put("suppressedJobs", sum[Event.SUPPRESSED_JOBS.ordinal()])
        .put("unsubscribed", sum[Event.UNSUBSCRIBED.ordinal()])
        .put("bounceRate", bounceRate).put("complaintRate", complaintRate)
        .put("overComplaintLimit", complaintRate != null && complaintRate > COMPLAINT_LIMIT)
        .put("overBounceLimit", bounceRate != null && bounceRate > BOUNCE_LIMIT);
  }
}
