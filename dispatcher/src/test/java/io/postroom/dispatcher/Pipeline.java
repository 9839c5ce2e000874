package io.postroom.dispatcher;

import io.postroom.contract.Address;
import io.postroom.contract.Job;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.config.ComplianceSection;
import io.postroom.dispatcher.compliance.MailMarks;
import io.postroom.dispatcher.compliance.Suppressions;
import io.postroom.dispatcher.config.TenantConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postroom.contract.Jobs;
import io.postroom.contract.template.RegisteredTemplates;
import io.postroom.dispatcher.bulk.BulkControls;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.config.TenantConfig;
import io.postroom.dispatcher.config.TlsMode;
import io.postroom.dispatcher.dedupe.ReportedRecords;
import io.postroom.dispatcher.dedupe.SentJobs;
import io.postroom.dispatcher.kafka.JobMover;
import io.postroom.dispatcher.kafka.Journey;
import io.postroom.dispatcher.kafka.RecordPosition;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import io.postroom.dispatcher.lanes.LaneTopics;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.ratelimit.RateLimits;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.RelayHealth;
import io.postroom.dispatcher.relay.RelayRouter;
import io.postroom.dispatcher.retry.Backoff;
import io.postroom.dispatcher.retry.RetryPolicy;
import io.postroom.dispatcher.retry.RetryTiers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A dispatcher's job pipeline, {@link JobProcessor} and {@link Delivery}, on in-memory Kafka writes
 * ({@link InMemoryKafka}) and one relay whose answers the test gives ({@link #relayAnswers}). Build
 * it on the event loop: its parts are confined there.
 */
final class Pipeline {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final String JOBS = "mail.jobs";
  static final RetryTiers TIERS = new RetryTiers(JOBS + ".retry", List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)));
  static final LaneTopics LANE_TOPICS = new LaneTopics(JOBS + ".lanes");
  private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(40), 2.0);

  final InMemoryKafka kafka = new InMemoryKafka();
  final LaneOccupancy lanes;
  final SentJobs sent = new SentJobs(100);
  final ReportedRecords reported = new ReportedRecords(100);
  /** What the test's bulk sends were asked to be: apply control records to it. */
  final BulkControls controls = new BulkControls();
  /** The test's registered templates: apply template records to it. */
  final RegisteredTemplates templates = new RegisteredTemplates();
  /** What the relay answers to each message, in turn; the last answer repeats. */
  final List<Function<MailMessage, Future<MailResult>>> relayAnswers = new ArrayList<>();
  final List<MailMessage> relayed = new ArrayList<>();
  /** The tenants' suppressions, by {@link Suppression#key()}: put some in before the jobs. */
  final Map<String, SuppressionReason> suppressed = new HashMap<>();
  final JobProcessor processor;
  private RelayRouter router;

  Pipeline(Vertx vertx, int laneCapacity) {
    this(vertx, laneCapacity, ComplianceSection.none(), TenantConfig::unnamed);
  }

  /**
   * @param compliance the token keys and unsubscribe addresses the mail is marked with
   * @param tenants the tenants' configuration (their bounce domains)
   */
  Pipeline(Vertx vertx, int laneCapacity, ComplianceSection compliance, Function<String, TenantConfig> tenants) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    lanes = new LaneOccupancy(laneCapacity);
    RelayConfig config = new RelayConfig("primary", "localhost", 2525, TlsMode.STARTTLS, null, null, null, 1,
        1_000_000, 100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null, null);
    RelayHealth health = new RelayHealth(vertx, "primary", QUICK, () -> router.relayStateChanged());
    Relay relay = new Relay(vertx, config, health, message -> {
      relayed.add(message);
      return relayAnswers.get(Math.min(relayed.size(), relayAnswers.size()) - 1).apply(message);
    });
    router = new RelayRouter(List.of(relay), tenant -> 1);
    RateLimits rateLimits = new RateLimits(vertx, List.of(config), TenantConfig::unnamed);
    DispatcherMetrics metrics = new DispatcherMetrics(new SimpleMeterRegistry(), List.of("primary"));
    Admission admission = new Admission(lanes, clock);
    Delivery delivery = new Delivery(router, rateLimits, new RetryPolicy(3, new Backoff(Duration.ofSeconds(1),
        Duration.ofSeconds(1), 2.0)), metrics, admission, controls);
    JobMover mover = new JobMover(kafka, TIERS, LANE_TOPICS, clock);
    processor = new JobProcessor(Jobs.VALIDATOR, delivery, kafka, mover, lanes, admission, sent, reported, templates,
        controls, this::suppressed, new MailMarks(compliance, tenants), metrics, clock);
  }

  private List<Suppressions.Suppressed> suppressed(Job job) {
    List<Suppressions.Suppressed> found = new ArrayList<>();
    for (Address recipient : job.recipients()) {
      String email = recipient.email().toLowerCase(Locale.ROOT);
      SuppressionReason reason = suppressed.get(Suppression.key(job.tenant(), null, email));
      if (reason == null && job.stream() != null) {
        reason = suppressed.get(Suppression.key(job.tenant(), job.stream(), email));
      }
      if (reason != null && found.stream().noneMatch(s -> s.address().equals(email))) {
        found.add(new Suppressions.Suppressed(email, reason));
      }
    }
    return found;
  }

  /** The relay takes every message for all its recipients. */
  static Future<MailResult> accept(MailMessage message) {
    List<String> recipients = new ArrayList<>(message.getTo());
    return Future.succeededFuture(new MailResult().setRecipients(recipients));
  }

  /** A record of the jobs topic at {@code offset} of partition 0. */
  static SourceRecord record(JsonObject job, long offset) {
    return record(job.encode(), offset);
  }

  static SourceRecord record(String value, long offset) {
    return new SourceRecord(JOBS, 0, offset, "key", Buffer.buffer(value),
        Journey.start(new RecordPosition(JOBS, 0, offset), NOW.toEpochMilli()));
  }

  Future<Processed> process(SourceRecord record) {
    return processor.process(record, () -> true);
  }
}
