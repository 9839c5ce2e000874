package io.postroom.dispatcher.kafka;

import io.postroom.api.ErrorCode;
import io.postroom.api.StatusEvent;
import io.postroom.api.kafka.DurableWrites;
import io.postroom.dispatcher.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
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

  private final Vertx vertx;
  private final KafkaConfig config;
  private final KafkaProducer<String, Buffer> producer;
  /**
   * Copies of waiting jobs go through a producer of their own with one request in flight per
   * connection. The topics they go to are often created moments before; the first write to a new
   * partition can meet a broker not yet its leader, and kafka-clients 3.7 then retried an idempotent
   * producer's later batches forever with OUT_OF_ORDER_SEQUENCE_NUMBER (seen in our tests). With one
   * request in flight, batches cannot overtake each other; status events are not held up by it.
   */
  private final KafkaProducer<String, Buffer> forwards;
  private volatile boolean closed;

  public OutcomePublisher(Vertx vertx, KafkaConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.producer = KafkaProducer.create(vertx, producerProperties(config, "outcomes"));
    Map<String, String> forwardProps = producerProperties(config, "moves");
    forwardProps.put("max.in.flight.requests.per.connection", "1");
    this.forwards = KafkaProducer.create(vertx, forwardProps);
    // every failed write also fails its send's future, which is where it is handled (and logged)
    producer.exceptionHandler(e -> LOG.debug("producer: {}", e.toString()));
    forwards.exceptionHandler(e -> LOG.debug("producer of moves: {}", e.toString()));
  }

  static Map<String, String> producerProperties(KafkaConfig config, String role) {
    Map<String, String> props = DurableWrites.producerProperties(config.clientProperties(role));
    props.put("max.in.flight.requests.per.connection", "5");
    props.putIfAbsent("linger.ms", "2");
    return props;
  }

  /** The event, with the state and the job's source record in headers (see {@link #STATE_HEADER}). */
  public Future<Void> status(StatusEvent event, SourceRecord source) {
    KafkaProducerRecord<String, Buffer> record =
        KafkaProducerRecord.create(config.statusTopic(), event.id(), event.toJson().toBuffer());
    record.addHeader(KafkaHeader.header(STATE_HEADER, event.state().name()));
    record.addHeader(KafkaHeader.header(SOURCE_HEADER, source.coordinates()));
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

  private KafkaProducerRecord<String, Buffer> deadLetterRecord(SourceRecord source, Buffer value, String jobId,
      ErrorCode code, String reason) {
    KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(config.deadLetterTopic(), source.key(), value);
    record.addHeaders(List.of(
        KafkaHeader.header(ERROR_HEADER, Buffer.buffer(reason, StandardCharsets.UTF_8.name())),
        KafkaHeader.header(ERROR_CODE_HEADER, code.name()),
        KafkaHeader.header("postroom-source-topic", source.topic()),
        KafkaHeader.header("postroom-source-partition", Integer.toString(source.partition())),
        KafkaHeader.header("postroom-source-offset", Long.toString(source.offset()))));
    record.addHeader(KafkaHeader.header(Journey.ORIGIN, source.coordinates()));
    if (jobId != null) {
      record.addHeader(KafkaHeader.header(JOB_ID_HEADER, Buffer.buffer(jobId, StandardCharsets.UTF_8.name())));
    }
    return record;
  }

  /**
   * A job's next record on one of the dispatcher's own topics (a retry tier, a lane topic), with
   * the headers of its {@link Journey}; the future succeeds once the copy is durable.
   */
  public Future<Void> forward(String topic, String key, Buffer value, List<KafkaHeader> headers) {
    KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(topic, key, value);
    record.addHeaders(headers);
    return durably(forwards, record);
  }

  private Future<Void> durably(KafkaProducer<String, Buffer> producer, KafkaProducerRecord<String, Buffer> record) {
    Promise<Void> promise = Promise.promise();
    attempt(producer, record, promise, 0);
    return promise.future();
  }

  private void attempt(KafkaProducer<String, Buffer> producer, KafkaProducerRecord<String, Buffer> record,
      Promise<Void> promise, int failures) {
    producer.send(record).onComplete(
        metadata -> promise.complete(),
        error -> {
          if (closed || error instanceof RecordTooLargeException) {
            promise.fail(error);
            return;
          }
          long pause = Math.min(MAX_RETRY_PAUSE_MS, 250L << Math.min(failures, 6));
          LOG.warn("could not write to {} ({}); trying again in {} ms", record.topic(), error.getMessage(), pause);
          vertx.setTimer(pause, id -> attempt(producer, record, promise, failures + 1));
        });
  }

  public Future<Void> close() {
    closed = true;
    return Future.join(producer.flush().eventually(producer::close), forwards.flush().eventually(forwards::close))
        .mapEmpty();
  }
}
