package io.postroom.dispatcher.dedupe;

import io.postroom.contract.State;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.StatusRecord;
import io.postroom.contract.kafka.StatusTopicReader;
import io.postroom.dispatcher.kafka.RecordPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teaches {@link SentJobs} and {@link ReportedRecords} what the whole consumer group has done, from
 * the status topic itself: before any job is taken, and again each time this instance is assigned
 * partitions, it reads the status topic up to its end (at most the memory's capacity back), then
 * stops reading. So a dispatcher restarted after a crash, or given another instance's partitions
 * in a rebalance, skips records whose outcome was reported but not yet committed, and answers a
 * repeated id with DUPLICATE, instead of sending again; only jobs whose outcome never became durable
 * can be sent twice. No extra server: the status topic is the shared memory.
 *
 * <p>Between rebalances it does not follow the topic: what this instance writes it remembers as it
 * writes it, and the jobs of its partitions are written by no one else. Following it cost a fetch
 * and a pass over every status event of the group, in every instance. A repeat of an id that
 * another instance sent is still answered DUPLICATE when it comes on the same partition (the api
 * keys jobs by id); on another partition, only if it came before that instance's last rebalance.
 *
 * <p>Reads only keys and the state and source headers, never the JSON ({@link StatusTopicReader},
 * on its own thread); what it learns it applies on this instance's event loop, to which it is confined.
 */
public final class StatusTail {
  private static final Logger LOG = LoggerFactory.getLogger(StatusTail.class);
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final KafkaSection kafka;
  private final SentJobs sent;
  private final ReportedRecords reported;
  private final int capacity;
  private Context context;
  private StatusTopicReader reader;
  private Future<Void> learning = Future.succeededFuture();
  private long learned;

  public StatusTail(Vertx vertx, KafkaSection kafka, SentJobs sent, ReportedRecords reported, int capacity) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.sent = sent;
    this.reported = reported;
    this.capacity = capacity;
  }

  /** Completes once the recent terminal events are known (or after a bounded wait, with a warning). */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    reader = StatusTopicReader.open(kafka.clientProperties("status-tail"), kafka.statusTopic(), false,
        "postroom-status-tail-" + kafka.clientId());
    return learn();
  }

  /**
   * Reads what the group reported since the last time, up to the topic's end now (at most the
   * memory's capacity back); completes when read, or after a bounded wait with a warning. Calls
   * made while one is running run after it.
   */
  public Future<Void> learn() {
    learning = learning.transform(ignored -> catchUp());
    return learning;
  }

  private Future<Void> catchUp() {
    long started = System.nanoTime();
    long before = learned;
    Promise<Void> done = Promise.promise();
    // both hops go through the event loop's queue: every batch is learned before the read completes
    reader.catchUp(StatusTopicReader.Start.recent(capacity), CATCH_UP_LIMIT,
            records -> context.runOnContext(v -> learnAll(records)))
        .whenComplete((caughtUp, error) -> context.runOnContext(v -> {
          if (error != null) {
            done.fail(error);
            return;
          }
          if (caughtUp) {
            LOG.info("learned {} sent job ids from {} in {} ms", learned - before, kafka.statusTopic(),
                (System.nanoTime() - started) / 1_000_000);
          } else {
            LOG.warn("status topic {} not read up to its end within {}; duplicates of recent jobs are possible",
                kafka.statusTopic(), CATCH_UP_LIMIT);
          }
          done.complete();
        }));
    return done.future();
  }

  private void learnAll(List<StatusRecord> records) {
    for (StatusRecord record : records) {
      if (learn(sent, reported, record.jobId(), record.state(), record.source())) {
        learned++;
      }
    }
  }

  /**
   * What one status event teaches, from its key and headers: a terminal event's record was
   * reported; a SENT event's id was sent, by that record.
   *
   * @param state the {@code postroom-state} header, or null
   * @param source the {@code postroom-source} header, or null
   * @return whether it taught a sent id
   */
  static boolean learn(SentJobs sent, ReportedRecords reported, String jobId, State state, String source) {
    if (state == null || !state.terminal()) {
      return false;
    }
    RecordPosition position = RecordPosition.parseOrNull(source);
    reported.add(position);
    if (state == State.SENT && jobId != null) {
      sent.remember(jobId, position);
      return true;
    }
    return false;
  }

  public Future<Void> close() {
    return reader == null ? Future.succeededFuture() : Future.fromCompletionStage(reader.close(), context);
  }
}
