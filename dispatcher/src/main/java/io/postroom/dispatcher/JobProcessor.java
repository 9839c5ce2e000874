package io.postroom.dispatcher;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Job;
import io.postroom.contract.JobValidator;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.Validation;
import io.postroom.contract.bulk.BulkControl;
import io.postroom.contract.template.RegisteredTemplates;
import io.postroom.dispatcher.bulk.BulkControls;
import io.postroom.dispatcher.compliance.MailMarks;
import io.postroom.dispatcher.compliance.Suppressions;
import io.postroom.dispatcher.dedupe.ReportedRecords;
import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import io.postroom.dispatcher.dedupe.SentJobs;
import io.postroom.dispatcher.kafka.JobMover;
import io.postroom.dispatcher.kafka.Journey;
import io.postroom.dispatcher.kafka.OutcomeWriter;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.mail.MessageComposer;
import io.postroom.dispatcher.mail.MessageIds;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.vertx.core.Future;
import io.vertx.ext.mail.MailMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One record from reading to durable outcome: validate, answer repeats with DUPLICATE, ask the
 * {@link Admission} whether the job may go now, then either take the job on (an attempt) or move
 * it out of memory to wait: to a retry tier while it is not due ({@code notBefore}, or the pause
 * after a transient failure, announced by a RETRYING event), to its lane topic while its lane is
 * full. The returned future completes only when what became of
 * the record is durable in Kafka (a terminal status event and dead letter, or the job's copy on
 * the topic it waits in); only then may its offset be committed. A job whose partition was handed
 * to another reader before it was sent comes to {@link Processed#HANDED_OVER}: nothing is published.
 *
 * <p>A copy of a job on a retry or lane topic keeps the coordinates and timestamp of the job's
 * first record ({@link SourceRecord#coordinates()}): its events, its dedupe and its Message-ID
 * are the same as the original's, so a copy written twice (a crash between the copy and the
 * commit) is skipped like any redelivery.
 *
 * <p>Event-loop confined.
 */
final class JobProcessor implements RecordProcessor {
  private static final Future<Processed> DURABLE = Future.succeededFuture(Processed.DURABLE);
  private static final Future<Processed> HANDED_OVER = Future.succeededFuture(Processed.HANDED_OVER);
  /** How soon a recipient job of a paused send first asks again whether its send was resumed. */
  static final Duration FIRST_PAUSE_CHECK = Duration.ofSeconds(10);
  /** How often it asks again after that. */
  static final Duration PAUSE_CHECK = Duration.ofMinutes(1);

  private final JobValidator validator;
  private final Delivery delivery;
  private final OutcomeWriter outcomes;
  private final JobMover mover;
  private final LaneOccupancy lanes;
  private final Admission admission;
  private final SentJobs sent;
  private final RegisteredTemplates templates;
  private final BulkControls controls;
  private final ReportedRecords reported;
  private final Suppressions suppressions;
  private final MailMarks marks;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  /** The newest job per id that is still being worked on: a repeat waits for it, then decides. */
  private final Map<String, Future<Processed>> byId = new HashMap<>();
  /** Jobs being written to a lane or retry topic: in flight, but waiting for nothing but Kafka. */
  private int moving;

  JobProcessor(JobValidator validator, Delivery delivery, OutcomeWriter outcomes, JobMover mover,
      LaneOccupancy lanes, Admission admission, SentJobs sent, ReportedRecords reported, RegisteredTemplates templates,
      BulkControls controls, Suppressions suppressions, MailMarks marks, DispatcherMetrics metrics, Clock clock) {
    this.validator = validator;
    this.delivery = delivery;
    this.outcomes = outcomes;
    this.mover = mover;
    this.lanes = lanes;
    this.admission = admission;
    this.sent = sent;
    this.templates = templates;
    this.controls = controls;
    this.reported = reported;
    this.suppressions = suppressions;
    this.marks = marks;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Future<Processed> process(SourceRecord record, Delivery.Ownership owned) {
    if (reported.contains(record.coordinates())) {
      // read again after a crash or rebalance kept its offset from being committed: this record's
      // one terminal event exists already
      metrics.redelivered();
      return DURABLE;
    }
    Validation validation = validator.validate(record.bytes());
    if (validation.valid() && validation.job().needsTemplate()) {
      // a templateRef job, rendered with its tenant's registered template (or rejected: TEMPLATE_NOT_FOUND)
      validation = validator.resolve(validation.job(), templates.of(validation.job().tenant()));
    }
    if (!validation.valid()) {
      return reject(record, validation);
    }
    Job job = validation.job();
    Future<Processed> previous = byId.get(job.id());
    Future<Processed> done = previous == null
        ? dispatch(record, job, owned)
        : previous.transform(ignored -> dispatch(record, job, owned));
    byId.put(job.id(), done);
    return done.onComplete(ignored -> byId.remove(job.id(), done));
  }

  private Future<Processed> dispatch(SourceRecord record, Job job, Delivery.Ownership owned) {
    if (reported.contains(record.coordinates()) || record.coordinates().equals(sent.sentBy(job.id()))) {
      // the same record again (a rebalance handed it over while its first reading was still at work)
      metrics.redelivered();
      return DURABLE;
    }
    if (sent.contains(job.id())) {
      return finish(record, job, null, Outcome.duplicate());
    }
    String messageId = MessageIds.forJob(job, record.timestamp());
    Journey journey = record.journey();
    if (job.bulkId() != null) {
      BulkControl.Mode mode = controls.mode(job.tenant(), job.bulkId());
      if (mode == BulkControl.Mode.CANCELLED) {
        return finish(record, job, messageId, Outcome.cancelled());
      }
      if (mode == BulkControl.Mode.PAUSED) {
        return waitOutPause(record, job, journey);
      }
    }
    // asked at every attempt (a retry reads the job again): an address suppressed meanwhile gets nothing
    List<Suppressions.Suppressed> suppressed = suppressions.of(job);
    if (!suppressed.isEmpty() && journey.attempts() == 0 && journey.progress() == null) {
      suppressed.forEach(s -> metrics.suppressed(job.tenant(), s.reason()));
    }
    Set<String> leftOut = addresses(suppressed);
    if (!leftOut.isEmpty() && job.recipients().stream().allMatch(r -> MessageComposer.isLeftOut(r, leftOut))) {
      return finish(record, job, messageId, Outcome.suppressed(List.copyOf(leftOut)));
    }
    Lane lane = new Lane(job.priority(), job.tenant());
    // a lane topic's record was let through by the consumer when its lane had room: it is not parked again
    Admission.Decision admitted = admission.ofJob(later(job.notBefore(), journey.due()), job.expiresAt(),
        mover.isLaneTopic(record.topic()) ? null : lane);
    if (admitted != Admission.GO) {
      return waitOrExpire(record, job, messageId, admitted, journey.attempts(), journey.progress());
    }
    lanes.enter(lane);
    List<MailMessage> messages = MessageComposer.transactions(job, messageId, leftOut);
    marks.mark(messages, job, messageId);
    Transactions transactions = new Transactions(job, messages, journey.progress(), leftOut);
    List<String> suppressedAddresses = List.copyOf(leftOut);
    return delivery.attempt(job, transactions, journey.attempts(), journey.bulkTerms().maxRate(), owned)
        .compose(result -> {
          if (!(result instanceof Outcome attempted)) {
            // handed over: nothing is published here, the partition's new reader sends the job
            return HANDED_OVER;
          }
          Outcome outcome = attempted.withSuppressed(suppressedAddresses);
          return outcome.state() == State.RETRYING
              ? retryLater(record, job, messageId, outcome, transactions.progress())
              : finish(record, job, messageId, outcome);
        })
        .onComplete(ignored -> lanes.leave(lane));
  }

  /**
   * A recipient job of a paused send waits on a retry tier and is asked about again when it comes
   * back: after {@link #FIRST_PAUSE_CHECK} the first time, then every {@link #PAUSE_CHECK}, so that
   * a short pause ends within seconds and a long one does not rewrite every waiting recipient every
   * few seconds. No event: the job is neither attempted nor finished.
   */
  private Future<Processed> waitOutPause(SourceRecord record, Job job, Journey journey) {
    Journey.BulkTerms paused = journey.bulkTerms().paused();
    Instant due = clock.instant().plus(paused.pauses() == 1 ? FIRST_PAUSE_CHECK : PAUSE_CHECK);
    return moving(mover.delay(record, job, due, journey.attempts(), journey.progress(), paused), "pause");
  }

  /** RETRYING is durable before the job's copy is written: a reader of the status topic sees every attempt. */
  private Future<Processed> retryLater(SourceRecord record, Job job, String messageId, Outcome retrying,
      String progress) {
    Admission.Decision decision = admission.ofRetry(clock.instant().plus(retrying.retryAfter()), job.expiresAt());
    return publish(record, job, messageId, retrying)
        .compose(v -> waitOrExpire(record, job, messageId, decision, retrying.attempts(), progress));
  }

  /** A job that may not go now: out of memory until it may (a retry tier, its lane topic), or EXPIRED. */
  private Future<Processed> waitOrExpire(SourceRecord record, Job job, String messageId, Admission.Decision decision,
      int attempts, String progress) {
    if (decision instanceof Admission.WaitUntil wait) {
      return moving(mover.delay(record, job, wait.until(), attempts, progress), "retry");
    }
    if (decision instanceof Admission.WaitForLaneRoom) {
      return moving(mover.park(record, job), "lane");
    }
    Admission.Expired expired = (Admission.Expired) decision;
    return finish(record, job, messageId, Outcome.expired(attempts, expired.expiresAt()));
  }

  /** @param to where the job waits, for the metrics: "retry", "lane" or "pause" */
  private Future<Processed> moving(Future<Void> move, String to) {
    moving++;
    return move.transform(moved -> {
      moving--;
      if (moved.failed()) {
        return Future.failedFuture(moved.cause());
      }
      metrics.moved(to);
      return DURABLE;
    });
  }

  /**
   * Jobs on their way to a lane or retry topic now. They hold no relay slot, permit or lane place,
   * so the consumer bounds them apart from the jobs being sent: counted with those, a full lane
   * left a few places for the parking that lets the partitions be read past it.
   */
  @Override
  public int moving() {
    return moving;
  }

  /** The suppressed addresses, in the job's order. */
  private static Set<String> addresses(List<Suppressions.Suppressed> suppressed) {
    if (suppressed.isEmpty()) {
      return Set.of();
    }
    Set<String> addresses = new LinkedHashSet<>();
    suppressed.forEach(s -> addresses.add(s.address()));
    return addresses;
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  private Future<Processed> finish(SourceRecord record, Job job, String messageId, Outcome outcome) {
    if (outcome.state() == State.SENT) {
      // remembered before the event is durable: a repeat arriving meanwhile must not send again
      sent.remember(job.id(), record.coordinates());
    }
    Future<Void> status = publish(record, job, messageId, outcome);
    Future<Void> deadLetter = outcome.deadLettered()
        ? outcomes.deadLetter(record, job.id(), outcome.errorCode(), outcome.error())
            .onSuccess(v -> metrics.deadLettered(outcome.errorCode()))
        : Future.succeededFuture();
    return Future.all(status, deadLetter).map(Processed.DURABLE).onSuccess(v -> reported.add(record.coordinates()));
  }

  private Future<Void> publish(SourceRecord record, Job job, String messageId, Outcome outcome) {
    return outcomes.status(outcome.toEvent(job, messageId, clock.instant()), record)
        .onSuccess(v -> metrics.jobState(outcome.state()));
  }

  private Future<Processed> reject(SourceRecord record, Validation validation) {
    ErrorCode code = validation.code();
    String reason = validation.message();
    Future<Void> deadLetter = outcomes.deadLetter(record, validation.id(), code, reason)
        .onSuccess(v -> metrics.deadLettered(code));
    Future<Void> status = Future.succeededFuture();
    if (validation.id() != null) {
      status = outcomes.status(StatusEvent.rejected(validation, clock.instant()), record);
    }
    return Future.all(deadLetter, status).map(Processed.DURABLE).onSuccess(v -> {
      metrics.jobState(State.REJECTED);
      reported.add(record.coordinates());
    });
  }
}
