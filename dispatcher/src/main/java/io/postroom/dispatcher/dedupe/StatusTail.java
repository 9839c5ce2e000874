package io.postroom.dispatcher.dedupe;

import io.postroom.contract.State;
import io.postroom.dispatcher.config.KafkaConfig;
import io.postroom.dispatcher.kafka.OutcomePublisher;
import io.postroom.dispatcher.kafka.RecordPosition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>Reads only keys and the state header, never the JSON. Event-loop confined.
 */
public final class StatusTail {
  private static final Logger LOG = LoggerFactory.getLogger(StatusTail.class);
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final KafkaConfig kafka;
  private final SentJobs sent;
  private final ReportedRecords reported;
  private final int capacity;
  private final Set<TopicPartition> partitions = new HashSet<>();
  private final Map<TopicPartition, Long> catchUpTo = new HashMap<>();
  /** Per partition, the end offset the last catch-up read to: the next one starts there. */
  private final Map<TopicPartition, Long> readTo = new HashMap<>();
  private KafkaConsumer<String, byte[]> consumer;
  private Promise<Void> caughtUp;
  private Future<Void> learning = Future.succeededFuture();
  private long learned;

  public StatusTail(Vertx vertx, KafkaConfig kafka, SentJobs sent, ReportedRecords reported, int capacity) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.sent = sent;
    this.reported = reported;
    this.capacity = capacity;
  }

  /** Completes once the recent terminal events are known (or after a bounded wait, with a warning). */
  public Future<Void> start() {
    Map<String, String> props = kafka.clientProperties("status-tail");
    props.put("enable.auto.commit", "false");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.remove("group.id");
    consumer = KafkaConsumer.create(vertx, props);
    // seeks, offsets and resumes wait for the poll in progress: with the default of a second, every
    // catch-up after a rebalance kept the new partitions waiting a second or more
    consumer.pollTimeout(Duration.ofMillis(50));
    consumer.handler(this::record);
    return consumer.partitionsFor(kafka.statusTopic())
        .compose(infos -> {
          infos.forEach(info -> partitions.add(new TopicPartition(info.getTopic(), info.getPartition())));
          return partitions.isEmpty() ? Future.succeededFuture() : consumer.assign(partitions)
              .compose(v -> consumer.pause(partitions))
              .compose(v -> learn());
        });
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
    if (partitions.isEmpty()) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    long before = learned;
    long perPartition = Math.max(1, capacity / partitions.size());
    caughtUp = Promise.promise();
    Promise<Void> done = caughtUp;
    long limit = vertx.setTimer(CATCH_UP_LIMIT.toMillis(), id -> {
      if (done.tryComplete()) {
        LOG.warn("status topic {} not read up to its end within {}; duplicates of recent jobs are possible",
            kafka.statusTopic(), CATCH_UP_LIMIT);
      }
    });
    return Future.all(consumer.beginningOffsets(partitions), consumer.endOffsets(partitions))
        .compose(offsets -> {
          Map<TopicPartition, Long> begins = offsets.resultAt(0);
          Map<TopicPartition, Long> ends = offsets.resultAt(1);
          catchUpTo.clear();
          List<Future<Void>> seeks = new ArrayList<>();
          for (TopicPartition p : partitions) {
            long end = ends.get(p);
            long from = Math.max(Math.max(begins.get(p), readTo.getOrDefault(p, 0L)), end - perPartition);
            readTo.put(p, end);
            if (end > from) {
              catchUpTo.put(p, end);
              seeks.add(consumer.seek(p, from));
            }
          }
          if (catchUpTo.isEmpty()) {
            done.tryComplete();
            return done.future();
          }
          return Future.all(seeks).compose(v -> consumer.resume(Set.copyOf(catchUpTo.keySet())))
              .compose(v -> done.future());
        })
        .eventually(() -> {
          vertx.cancelTimer(limit);
          return consumer.pause(partitions);
        })
        .onSuccess(v -> LOG.info("learned {} sent job ids from {} in {} ms", learned - before, kafka.statusTopic(),
            (System.nanoTime() - started) / 1_000_000));
  }

  private void record(KafkaConsumerRecord<String, byte[]> record) {
    String state = null;
    String source = null;
    for (KafkaHeader header : record.headers()) {
      if (header.key().equals(OutcomePublisher.STATE_HEADER)) {
        state = header.value().toString();
      } else if (header.key().equals(OutcomePublisher.SOURCE_HEADER)) {
        source = header.value().toString();
      }
    }
    if (learn(sent, reported, record.key(), state, source)) {
      learned++;
    }
    if (!catchUpTo.isEmpty()) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      Long end = catchUpTo.get(partition);
      if (end != null && record.offset() + 1 >= end) {
        catchUpTo.remove(partition);
        if (catchUpTo.isEmpty() && caughtUp != null) {
          caughtUp.tryComplete();
        }
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
  static boolean learn(SentJobs sent, ReportedRecords reported, String jobId, String state, String source) {
    if (state == null || !State.valueOf(state).terminal()) {
      return false;
    }
    RecordPosition position = RecordPosition.parseOrNull(source);
    reported.add(position);
    if (State.SENT.name().equals(state) && jobId != null) {
      sent.remember(jobId, position);
      return true;
    }
    return false;
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
