package io.postroom.dispatcher.kafka;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.kafka.DurableWrites;
import io.postroom.dispatcher.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what became of each job: status events to {@code mail.status}, rejected records to
 * {@code mail.jobs.dlq}, and jobs that wait to the retry and lane topics. One idempotent producer with {@code acks=all}: a returned future has
 * succeeded only once the event is durable, and only then may the job's offset be committed. A
 * write that fails is tried again (with a growing pause) rather than given up: losing a job's
 * outcome is worse than waiting for the broker.
 */
public final class OutcomePublisher {
  public static final String ERROR_HEADER = "postroom-error";
  public static final String ERROR_CODE_HEADER = "postroom-error-code";
  /** Set when the job's id could be read: its REJECTED, FAILED or EXPIRED status event has the same id. */
  public static final String JOB_ID_HEADER = "postroom-job-id";
  /** On status events: the state, so that readers such as the status tail need not parse the JSON. */
  public static final String STATE_HEADER = "postroom-state";
  /** On status events: "topic/partition/offset" of the job's record, to tell a redelivery from a repeat. */
  public static final String SOURCE_HEADER = "postroom-source";
  private static final Logger LOG = LoggerFactory.getLogger(OutcomePublisher.class);
  private static final long MAX_RETRY_PAUSE_MS = 10_000;

  private static final long WARN_INTERVAL_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final KafkaConfig config;
  private final Consumer<String> fatal;
  /** While Kafka is away every write fails: one warning per interval says so, not one per job. */
  private long lastWarned = System.nanoTime() - WARN_INTERVAL_NANOS;
  private int unwarned;
  private DirectProducer producer;
  /**
   * Copies of waiting jobs go through a producer of their own with one request in flight per
   * connection. The topics they go to are often created moments before; the first write to a new
   * partition can meet a broker not yet its leader, and kafka-clients 3.7 then retried an idempotent
   * producer's later batches forever with OUT_OF_ORDER_SEQUENCE_NUMBER (seen in our tests). With one
   * request in flight, batches cannot overtake each other; status events are not held up by it.
   */
  private DirectProducer forwards;
  private volatile boolean closed;

  /**
   * @param fatal told, with the reason, when a write fails in a way no retry can mend (credentials,
   *     rights, a fenced producer): the process must end rather than retry forever
   */
  public OutcomePublisher(Vertx vertx, KafkaConfig config, Consumer<String> fatal) {
    this.vertx = vertx;
    this.config = config;
    this.fatal = fatal;
  }

  /**
   * Creates both producers and fetches the metadata of every topic they write to, so that no write
   * waits for it (see {@link DirectProducer}).
   *
   * @param waitTopics the retry tiers and lane topics jobs are moved to
   */
  public Future<Void> start(List<String> waitTopics) {
    Map<String, String> forwardProps = producerProperties(config, "moves");
    forwardProps.put("max.in.flight.requests.per.connection", "1");
    return DirectProducer.create(vertx, producerProperties(config, "outcomes"),
            List.of(config.statusTopic(), config.deadLetterTopic()))
        .compose(outcomes -> {
          producer = outcomes;
          return DirectProducer.create(vertx, forwardProps, waitTopics);
        })
        .onSuccess(moves -> forwards = moves)
        .mapEmpty();
  }

  static Map<String, String> producerProperties(KafkaConfig config, String role) {
    Map<String, String> props = DurableWrites.producerProperties(config.clientProperties(role));
    props.put("max.in.flight.requests.per.connection", "5");
    props.putIfAbsent("linger.ms", "2");
    return props;
  }

  /** The event, with the state and the job's source record in headers (see {@link #STATE_HEADER}). */
  public Future<Void> status(StatusEvent event, SourceRecord source) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.statusTopic(), null, event.id(),
        event.toJson().toBuffer().getBytes(), new RecordHeaders()
            .add(STATE_HEADER, event.state().name().getBytes(StandardCharsets.UTF_8))
            .add(SOURCE_HEADER, source.coordinates().getBytes(StandardCharsets.UTF_8)));
    return durably(producer, record);
  }

  /**
   * The original record's bytes, under its original key, with the reason in the headers. A record
   * too large for this producer ({@code max.request.size}, 1 MiB unless set in {@code kafka.properties})
   * is dead-lettered without its value, saying so, rather than holding its partition forever.
   */
  public Future<Void> deadLetter(SourceRecord source, String jobId, ErrorCode code, String reason) {
    return durably(producer, deadLetterRecord(source, source.value(), jobId, code, reason)).recover(error -> {
      if (!(error instanceof RecordTooLargeException)) {
        return Future.failedFuture(error);
      }
      int size = source.value() == null ? 0 : source.value().length();
      LOG.warn("dead letter of {} ({} bytes) is too large for {}; writing it without its value", source.here(),
          size, config.deadLetterTopic());
      return durably(producer, deadLetterRecord(source, null, jobId, code, reason + " (the original record, " + size
          + " bytes, was too large to copy here: read it from " + source.coordinates() + " while it is retained)"));
    });
  }

  private ProducerRecord<String, byte[]> deadLetterRecord(SourceRecord source, Buffer value, String jobId,
      ErrorCode code, String reason) {
    Headers headers = new RecordHeaders()
        .add(ERROR_HEADER, reason.getBytes(StandardCharsets.UTF_8))
        .add(ERROR_CODE_HEADER, ascii(code.name()))
        .add("postroom-source-topic", ascii(source.topic()))
        .add("postroom-source-partition", ascii(Integer.toString(source.partition())))
        .add("postroom-source-offset", ascii(Long.toString(source.offset())))
        .add(Journey.ORIGIN, ascii(source.coordinates()));
    if (jobId != null) {
      headers.add(JOB_ID_HEADER, jobId.getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(config.deadLetterTopic(), null, source.key(), value == null ? null : value.getBytes(),
        headers);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A job's next record on one of the dispatcher's own topics (a retry tier, a lane topic), with
   * the headers of its {@link Journey}, in partition {@code partition} (modulo the topic's
   * partitions); the future succeeds once the copy is durable.
   */
  public Future<Void> forward(String topic, int partition, String key, Buffer value, List<KafkaHeader> headers) {
    RecordHeaders copied = new RecordHeaders();
    headers.forEach(header -> copied.add(header.key(), header.value().getBytes()));
    return durably(forwards, new ProducerRecord<>(topic, forwards.partition(topic, partition), key, value.getBytes(),
        copied));
  }

  private Future<Void> durably(DirectProducer producer, ProducerRecord<String, byte[]> record) {
    Promise<Void> promise = Promise.promise();
    attempt(producer, record, promise, 0);
    return promise.future();
  }

  private void attempt(DirectProducer producer, ProducerRecord<String, byte[]> record, Promise<Void> promise,
      int failures) {
    producer.send(record).onComplete(
        ok -> promise.complete(),
        error -> {
          if (closed || error instanceof RecordTooLargeException) {
            promise.fail(error);
            return;
          }
          if (isFatal(error)) {
            fatal.accept("Kafka refuses the dispatcher's writes to " + record.topic() + " for good ("
                + error.getMessage() + "); check the dispatcher's Kafka credentials and rights (kafka.properties,"
                + " ACLs on " + record.topic() + ")");
            promise.fail(error);
            return;
          }
          long pause = Math.min(MAX_RETRY_PAUSE_MS, 250L << Math.min(failures, 6));
          long now = System.nanoTime();
          if (failures == 0 && error instanceof TimeoutException) {
            // most often a topic's metadata that had to be fetched again: the failed send asked for it
            LOG.debug("could not write to {} ({}); trying again in {} ms", record.topic(), error.getMessage(), pause);
          } else if (now - lastWarned >= WARN_INTERVAL_NANOS) {
            LOG.warn("could not write to {} ({}); trying again in {} ms{}", record.topic(), error.getMessage(), pause,
                unwarned == 0 ? "" : " (and " + unwarned + " more failed writes since the last warning)");
            lastWarned = now;
            unwarned = 0;
          } else {
            unwarned++;
          }
          vertx.setTimer(pause, id -> attempt(producer, record, promise, failures + 1));
        });
  }

  /** Failures no retry mends: the producer is fenced, or Kafka refuses who we are or what we write. */
  static boolean isFatal(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof AuthenticationException || e instanceof AuthorizationException
          || e instanceof ProducerFencedException || e instanceof UnsupportedVersionException
          || e instanceof InvalidTopicException) {
        return true;
      }
    }
    return false;
  }

  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (DirectProducer p : new DirectProducer[] {producer, forwards}) {
      if (p != null) {
        closing.add(p.flush().eventually(p::close));
      }
    }
    return Future.join(closing).mapEmpty();
  }
}
