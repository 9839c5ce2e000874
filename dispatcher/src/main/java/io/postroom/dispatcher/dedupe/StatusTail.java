package io.postroom.dispatcher.dedupe;

import io.postroom.api.State;
import io.postroom.dispatcher.config.KafkaConfig;
import io.postroom.dispatcher.kafka.OutcomePublisher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teaches {@link SentJobs} and {@link ReportedRecords} what the whole consumer group has done,
 * from the status topic itself: at start it reads the newest terminal events (up to the memory's
 * capacity) before any job is taken, then follows the topic. So a dispatcher restarted after a
 * crash, or given another instance's partitions in a rebalance, skips records whose outcome was
 * reported but not yet committed, and answers a repeated id with DUPLICATE, instead of sending
 * again; only jobs whose outcome never became durable can be sent twice. No extra server: the
 * status topic is the shared memory.
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
  private final Map<TopicPartition, Long> catchUpTo = new HashMap<>();
  private final Promise<Void> caughtUp = Promise.promise();
  private KafkaConsumer<String, byte[]> consumer;
  private long learned;

  public StatusTail(Vertx vertx, KafkaConfig kafka, SentJobs sent, ReportedRecords reported, int capacity) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.sent = sent;
    this.reported = reported;
    this.capacity = capacity;
  }

  /** Completes once the recent SENT events are known (or after a bounded wait, with a warning). */
  public Future<Void> start() {
    Map<String, String> props = kafka.clientProperties("status-tail");
    props.put("enable.auto.commit", "false");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.remove("group.id");
    consumer = KafkaConsumer.create(vertx, props);
    long started = System.nanoTime();
    long limit = vertx.setTimer(CATCH_UP_LIMIT.toMillis(), id -> {
      if (caughtUp.tryComplete()) {
        LOG.warn("status topic {} not read up to its end within {}; duplicates of recent jobs are possible",
            kafka.statusTopic(), CATCH_UP_LIMIT);
      }
    });
    return consumer.partitionsFor(kafka.statusTopic())
        .compose(this::seekToRecentHistory)
        .compose(v -> caughtUp.future())
        .onComplete(ar -> vertx.cancelTimer(limit))
        .onSuccess(v -> LOG.info("learned {} sent job ids from {} in {} ms", learned, kafka.statusTopic(),
            (System.nanoTime() - started) / 1_000_000));
  }

  private Future<Void> seekToRecentHistory(List<PartitionInfo> infos) {
    Set<TopicPartition> partitions = new HashSet<>();
    infos.forEach(info -> partitions.add(new TopicPartition(info.getTopic(), info.getPartition())));
    if (partitions.isEmpty()) {
      caughtUp.tryComplete();
      return Future.succeededFuture();
    }
    long perPartition = Math.max(1, capacity / partitions.size());
    return consumer.assign(partitions)
        .compose(v -> Future.all(consumer.beginningOffsets(partitions), consumer.endOffsets(partitions)))
        .compose(offsets -> {
          Map<TopicPartition, Long> begins = offsets.resultAt(0);
          Map<TopicPartition, Long> ends = offsets.resultAt(1);
          List<Future<Void>> seeks = partitions.stream().map(p -> {
            long end = ends.get(p);
            long from = Math.max(begins.get(p), end - perPartition);
            if (end > from) {
              catchUpTo.put(p, end);
            }
            return consumer.seek(p, from);
          }).toList();
          return Future.all(seeks);
        })
        .map(v -> {
          consumer.handler(this::record);
          if (catchUpTo.isEmpty()) {
            caughtUp.tryComplete();
          }
          return null;
        });
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
    if (state != null && State.valueOf(state).terminal()) {
      reported.add(source);
      if (State.SENT.name().equals(state) && record.key() != null) {
        sent.remember(record.key(), source);
        learned++;
      }
    }
    if (!catchUpTo.isEmpty()) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      Long end = catchUpTo.get(partition);
      if (end != null && record.offset() + 1 >= end) {
        catchUpTo.remove(partition);
        if (catchUpTo.isEmpty()) {
          caughtUp.tryComplete();
        }
      }
    }
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
