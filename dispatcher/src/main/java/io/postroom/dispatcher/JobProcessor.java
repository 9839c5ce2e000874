package io.postroom.dispatcher;

import io.postroom.api.ErrorCode;
import io.postroom.api.Job;
import io.postroom.api.JobValidator;
import io.postroom.api.State;
import io.postroom.api.StatusEvent;
import io.postroom.api.Validation;
import io.postroom.dispatcher.dedupe.ReportedRecords;
import io.postroom.dispatcher.dedupe.SentJobs;
import io.postroom.dispatcher.kafka.OutcomePublisher;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.mail.MessageComposer;
import io.postroom.dispatcher.mail.MessageIds;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One job from record to durable outcome: validate, answer repeats with DUPLICATE, wait for
 * {@code notBefore}, deliver, publish. The returned future completes only when the job's terminal
 * status event (and dead letter, where there is one) is acknowledged by Kafka; only then may its
 * offset be committed.
 *
 * <p>Event-loop confined.
 */
final class JobProcessor {
  private final Vertx vertx;
  private final JobValidator validator;
  private final Delivery delivery;
  private final OutcomePublisher publisher;
  private final SentJobs sent;
  private final ReportedRecords reported;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  /** The newest job per id that is still being worked on: a repeat waits for it, then decides. */
  private final Map<String, Future<Void>> byId = new HashMap<>();

  JobProcessor(Vertx vertx, JobValidator validator, Delivery delivery, OutcomePublisher publisher, SentJobs sent,
      ReportedRecords reported, DispatcherMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.validator = validator;
    this.delivery = delivery;
    this.publisher = publisher;
    this.sent = sent;
    this.reported = reported;
    this.metrics = metrics;
    this.clock = clock;
  }

  Future<Void> process(SourceRecord record) {
    if (reported.contains(record.coordinates())) {
      // read again after a crash or rebalance kept its offset from being committed: this record's
      // one terminal event exists already
      metrics.redelivered();
      return Future.succeededFuture();
    }
    Validation validation = validator.validate(record.bytes());
    if (!validation.valid()) {
      return reject(record, validation);
    }
    Job job = validation.job();
    Future<Void> previous = byId.get(job.id());
    Future<Void> done = previous == null
        ? dispatch(record, job)
        : previous.transform(ignored -> dispatch(record, job));
    byId.put(job.id(), done);
    return done.onComplete(ignored -> byId.remove(job.id(), done));
  }

  private Future<Void> dispatch(SourceRecord record, Job job) {
    if (reported.contains(record.coordinates()) || record.coordinates().equals(sent.sentBy(job.id()))) {
      // the same record again (a rebalance handed it over while its first reading was still at work)
      metrics.redelivered();
      return Future.succeededFuture();
    }
    if (sent.contains(job.id())) {
      return finish(record, job, null, Outcome.duplicate());
    }
    String messageId = MessageIds.forJob(job, record.timestamp());
    return notBefore(job)
        .compose(v -> delivery.deliver(job, MessageComposer.transactions(job, messageId),
            retrying -> publish(record, job, messageId, retrying)))
        .compose(outcome -> finish(record, job, messageId, outcome));
  }

  private Future<Void> notBefore(Job job) {
    if (job.notBefore() == null) {
      return Future.succeededFuture();
    }
    long wait = Duration.between(clock.instant(), job.notBefore()).toMillis();
    return wait <= 0 ? Future.succeededFuture() : vertx.timer(wait).mapEmpty();
  }

  private Future<Void> finish(SourceRecord record, Job job, String messageId, Outcome outcome) {
    if (outcome.state() == State.SENT) {
      // remembered before the event is durable: a repeat arriving meanwhile must not send again
      sent.remember(job.id(), record.coordinates());
    }
    Future<Void> status = publish(record, job, messageId, outcome);
    Future<Void> deadLetter = outcome.deadLettered()
        ? publisher.deadLetter(record, job.id(), outcome.errorCode(), outcome.error())
            .onSuccess(v -> metrics.deadLettered(outcome.errorCode()))
        : Future.succeededFuture();
    return Future.all(status, deadLetter).<Void>mapEmpty().onSuccess(v -> reported.add(record.coordinates()));
  }

  private Future<Void> publish(SourceRecord record, Job job, String messageId, Outcome outcome) {
    return publisher.status(outcome.toEvent(job, messageId, clock.instant()), record)
        .onSuccess(v -> metrics.jobState(outcome.state()));
  }

  private Future<Void> reject(SourceRecord record, Validation validation) {
    ErrorCode code = validation.code();
    String reason = validation.message();
    Future<Void> deadLetter = publisher.deadLetter(record, validation.id(), code, reason)
        .onSuccess(v -> metrics.deadLettered(code));
    Future<Void> status = Future.succeededFuture();
    if (validation.id() != null) {
      Instant now = clock.instant();
      status = publisher.status(new StatusEvent(validation.id(), validation.tenant(), State.REJECTED, 0, null, null,
          null, null, null, null, reason, code, now), record);
    }
    return Future.all(deadLetter, status).<Void>mapEmpty().onSuccess(v -> {
      metrics.jobState(State.REJECTED);
      reported.add(record.coordinates());
    });
  }
}
