package io.postroom.dispatcher.bulk;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.Validation;
import io.postroom.contract.bulk.BulkControl;
import io.postroom.contract.bulk.BulkJob;
import io.postroom.contract.bulk.BulkJobReader;
import io.postroom.contract.bulk.BulkReading;
import io.postroom.contract.bulk.Recipient;
import io.postroom.contract.bulk.RecipientEntry;
import io.postroom.contract.bulk.RecipientJobs;
import io.postroom.contract.bulk.RecipientProblem;
import io.postroom.contract.bulk.RecipientSource;
import io.postroom.dispatcher.Outcome;
import io.postroom.dispatcher.dedupe.ReportedRecords;
import io.postroom.dispatcher.kafka.JobForwarder;
import io.postroom.dispatcher.kafka.Journey;
import io.postroom.dispatcher.kafka.OutcomeWriter;
import io.postroom.dispatcher.kafka.RecordPosition;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import org.apache.kafka.common.utils.Utils;

/**
 * Expands a bulk record of the jobs topic (a bulk job, or one chunk of a send uploaded through the
 * api) into one job per recipient, written to the recipients topic under the recipient's job id
 * {@code <bulk id>/<key>}, so that the recipients spread over the partitions, and so over the
 * dispatchers of the group, by their ids. From there each is an ordinary job: its template rendered
 * with its variables when it is sent, its own dedupe, lane, limits, retries and status events.
 *
 * <p><b>Crash safety.</b> The returned future succeeds once every recipient's job (or, for a
 * recipient that cannot be sent, its REJECTED event and dead letter) is durable; only then is the
 * bulk record's offset committed. A dispatcher killed halfway leaves the record uncommitted, and
 * its next reader expands it again from the start. Each recipient's job carries as its first
 * position the bulk record's position and the recipient's index ({@link RecordPosition#recipient}),
 * the same in both expansions: its second copy is skipped where it is read, like any record read
 * again ({@code postroom_redelivered_total}), and a problem already reported is not reported again.
 *
 * <p>A record of a send that was cancelled before it was expanded writes no jobs: each of its
 * recipients ends CANCELLED here.
 *
 * <p><b>Memory.</b> Recipients are read one at a time from the record ({@link BulkReading#recipients()})
 * and at most {@code window} writes are unanswered at a time, of all the records this expander is
 * expanding: the expansion waits for Kafka, so a record of a hundred thousand recipients costs what a
 * few hundred cost, and so do a hundred records read in one poll. The records take turns in the order
 * they came, each going on while it has recipients and room; one whose window was full waits for the
 * next answered write. (With a window per record, one poll of 128 bulk records started 128,000
 * writes in one turn of the event loop and blocked it for seconds, sends and all.)
 *
 * <p>Event-loop confined.
 */
public final class BulkExpander {
  private final JobForwarder forwarder;
  private final OutcomeWriter outcomes;
  private final ReportedRecords reported;
  private final BulkControls controls;
  private final String recipientsTopic;
  private final int window;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  /** Writes unanswered by Kafka, of every record being expanded. */
  private int unanswered;
  /** Expansions with recipients left that found the window full, first come first. */
  private final ArrayDeque<Expansion> waiting = new ArrayDeque<>();
  private boolean resuming;

  /**
   * @param recipientsTopic where the recipients' jobs go ({@code kafka.topics.recipients})
   * @param window writes unanswered at a time, of all the records being expanded
   */
  public BulkExpander(JobForwarder forwarder, OutcomeWriter outcomes, ReportedRecords reported, BulkControls controls,
      String recipientsTopic, int window, DispatcherMetrics metrics, Clock clock) {
    if (window < 1) {
      throw new IllegalArgumentException("the expansion window must be at least 1, got " + window);
    }
    this.forwarder = forwarder;
    this.outcomes = outcomes;
    this.reported = reported;
    this.controls = controls;
    this.recipientsTopic = recipientsTopic;
    this.window = window;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Whether a record of the jobs topic is a bulk record (read without reading its recipients). */
  public static boolean isBulk(SourceRecord record) {
    return BulkJobReader.isBulk(record.bytes());
  }

  /**
   * Expands the bulk record; a bulk record that breaks the rules (no template, a bad sender, …) is
   * dead-lettered whole with the reason, and none of its recipients is written.
   *
   * @return succeeds once what became of every recipient is durable
   */
  public Future<Void> expand(SourceRecord record) {
    BulkReading reading = BulkJobReader.read(record.bytes());
    if (!reading.valid()) {
      return outcomes.deadLetter(record, null, reading.code(), "bulk send " + (reading.id() == null ? "(no id)"
              : reading.id()) + ": " + reading.message())
          .onSuccess(v -> metrics.deadLettered(reading.code()));
    }
    Expansion expansion = new Expansion(record, reading.job(), reading.recipients());
    expansion.pump();
    return expansion.done.future();
  }

  /** Room in the window: the expansions that wait for it go on, oldest first, while there is room. */
  private void resume() {
    if (resuming) {
      // an expansion resumed here had a write answered at once: this loop goes on
      return;
    }
    resuming = true;
    try {
      while (unanswered < window && !waiting.isEmpty()) {
        Expansion next = waiting.poll();
        next.waiting = false;
        next.pump();
      }
    } finally {
      resuming = false;
    }
  }

  /** One bulk record being expanded: its recipients read as the unanswered writes fall below the window. */
  private final class Expansion {
    private final SourceRecord record;
    private final BulkJob bulk;
    private final RecipientSource recipients;
    private final RecipientJobJson jobs;
    /** The send's rate, which each recipient job carries in a header (its JSON is an ordinary job's). */
    private final Journey.BulkTerms terms;
    private final Promise<Void> done = Promise.promise();
    /** This record's writes unanswered. */
    private int pending;
    private int written;
    private boolean failed;
    private boolean pumping;
    private boolean waiting;
    /** The send was cancelled before this record was expanded: its recipients end CANCELLED here. */
    private final boolean cancelled;

    Expansion(SourceRecord record, BulkJob bulk, RecipientSource recipients) {
      this.record = record;
      this.bulk = bulk;
      this.recipients = recipients;
      this.terms = bulk.maxRate() == null ? null : new Journey.BulkTerms(bulk.maxRate(), 0);
      this.cancelled = controls.mode(bulk.tenant(), bulk.id()) == BulkControl.Mode.CANCELLED;
      this.jobs = new RecipientJobJson(bulk);
    }

    void pump() {
      if (pumping) {
        // a write answered at once, inside the loop below: the loop goes on
        return;
      }
      pumping = true;
      try {
        while (!failed && unanswered < window && recipients.hasNext()) {
          RecipientEntry entry = recipients.next();
          RecordPosition position = record.coordinates().recipient(entry.index());
          if (reported.contains(position)) {
            // expanded before, and what became of this recipient is already on the status topic
            continue;
          }
          Future<Void> write;
          if (entry instanceof RecipientProblem problem) {
            write = report(problem, position);
          } else if (cancelled) {
            write = cancel((Recipient) entry, position);
          } else {
            write = write((Recipient) entry, position);
          }
          pending++;
          unanswered++;
          write.onComplete(ar -> answered(ar.failed() ? ar.cause() : null));
        }
      } catch (RuntimeException e) {
        fail(e);
      } finally {
        pumping = false;
      }
      if (!failed && recipients.hasNext() && !waiting) {
        // the window is full: the next answered write, of any record, makes room
        waiting = true;
        BulkExpander.this.waiting.add(this);
      }
      if (!failed && pending == 0 && !recipients.hasNext()) {
        recipients.close();
        metrics.expanded(written);
        done.tryComplete();
      }
    }

    private void answered(Throwable error) {
      pending--;
      unanswered--;
      if (error != null) {
        fail(error);
      } else if (!failed) {
        pump();
      }
      resume();
    }

    private void fail(Throwable error) {
      if (!failed) {
        failed = true;
        recipients.close();
        // not durable: the record stays uncommitted and is expanded again by its next reading
        done.tryFail(error);
      }
    }

    /** The recipient's job on the recipients topic, in the partition of its id. */
    private Future<Void> write(Recipient recipient, RecordPosition position) {
      String id = bulk.jobId(recipient.key());
      Journey journey = Journey.start(position, record.timestamp()).ofTenant(bulk.tenant()).ofBulk(terms);
      return forwarder.forward(recipientsTopic, partitionOf(id), id, jobs.of(recipient), journey.headers())
          .onSuccess(v -> written++);
    }

    /** A recipient of a cancelled send: its CANCELLED event, and no job written. */
    private Future<Void> cancel(Recipient recipient, RecordPosition position) {
      String id = bulk.jobId(recipient.key());
      SourceRecord source = new SourceRecord(record.topic(), record.partition(), record.offset(), id, null,
          Journey.start(position, record.timestamp()));
      StatusEvent event = Outcome.cancelled().event().about(id, bulk.tenant(), null, clock.instant(), bulk.id(),
          recipient.key());
      return outcomes.status(event, source).onSuccess(v -> {
        metrics.jobState(State.CANCELLED);
        reported.add(position);
      });
    }

    /**
     * A recipient that cannot be sent: its REJECTED event when it has an id of its own, and a dead
     * letter describing it, with the bulk record's position and the recipient's index.
     */
    private Future<Void> report(RecipientProblem problem, RecordPosition position) {
      Validation rejected = RecipientJobs.rejected(bulk, problem);
      JsonObject described = new JsonObject().put("bulkId", bulk.id()).put("tenant", bulk.tenant())
          .put("recipient", problem.index()).put("key", problem.key());
      if (bulk.part() != null) {
        described.put("part", bulk.part());
      }
      SourceRecord source = new SourceRecord(record.topic(), record.partition(), record.offset(),
          rejected.id() == null ? record.key() : rejected.id(), described.toBuffer(),
          Journey.start(position, record.timestamp()));
      Future<Void> status = rejected.id() == null ? Future.succeededFuture()
          : outcomes.status(StatusEvent.rejected(rejected, clock.instant()), source)
              .onSuccess(v -> metrics.jobState(State.REJECTED));
      Future<Void> deadLetter = outcomes.deadLetter(source, rejected.id(), rejected.code(),
          "recipient " + problem.index() + (problem.key() == null ? "" : " (key " + problem.key() + ")")
              + " of bulk send " + bulk.id() + ": " + rejected.message())
          .onSuccess(v -> metrics.deadLettered(rejected.code()));
      return Future.all(status, deadLetter).<Void>mapEmpty().onSuccess(v -> reported.add(position));
    }
  }

  /** The partition Kafka's default partitioner would choose for the id (modulo the topic's partitions). */
  static int partitionOf(String id) {
    return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8)));
  }
}
