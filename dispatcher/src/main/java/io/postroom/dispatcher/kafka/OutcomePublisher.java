package io.postroom.dispatcher.kafka;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.kafka.DurableWrites;
import io.postroom.dispatcher.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what became of each job to Kafka: status events to {@code mail.status}, rejected records
 * to {@code mail.jobs.dlq}. One idempotent producer with {@code acks=all}: a returned future has
 * succeeded only once the event is durable, and only then may the job's offset be committed. A
 * write that fails is tried again ({@link WriteRetries}) rather than given up. Copies of waiting
 * jobs are not outcomes: the {@link KafkaJobForwarder} writes them.
 */
public final class OutcomePublisher implements OutcomeWriter {
  public static final String ERROR_HEADER = "postroom-error";
  public static final String ERROR_CODE_HEADER = "postroom-error-code";
  /** Set when the job's id could be read: its REJECTED, FAILED or EXPIRED status event has the same id. */
  public static final String JOB_ID_HEADER = "postroom-job-id";
  /** On status events: the state, so that readers such as the status tail need not parse the JSON. */
  public static final String STATE_HEADER = "postroom-state";
  /** On status events: the job's {@link RecordPosition}, to tell a redelivery from a repeat. */
  public static final String SOURCE_HEADER = "postroom-source";
  private static final Logger LOG = LoggerFactory.getLogger(OutcomePublisher.class);

  private final Vertx vertx;
  private final KafkaConfig config;
  private final WriteRetries retries;
  private DirectProducer producer;

  OutcomePublisher(Vertx vertx, KafkaConfig config, WriteRetries retries) {
    this.vertx = vertx;
    this.config = config;
    this.retries = retries;
  }

  /** Creates the producer and fetches the metadata of the status and dead-letter topics (see {@link DirectProducer}). */
  Future<Void> start() {
    return DirectProducer.create(vertx, producerProperties(config, "outcomes"),
            List.of(config.statusTopic(), config.deadLetterTopic()))
        .onSuccess(created -> producer = created)
        .mapEmpty();
  }

  static Map<String, String> producerProperties(KafkaConfig config, String role) {
    Map<String, String> props = DurableWrites.producerProperties(config.clientProperties(role));
    props.put("max.in.flight.requests.per.connection", "5");
    props.putIfAbsent("linger.ms", "2");
    return props;
  }

  /** The event, with the state and the job's source record in headers (see {@link #STATE_HEADER}). */
  @Override
  public Future<Void> status(StatusEvent event, SourceRecord source) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.statusTopic(), null, event.id(),
        event.toJson().toBuffer().getBytes(), new RecordHeaders()
            .add(STATE_HEADER, event.state().name().getBytes(StandardCharsets.UTF_8))
            .add(SOURCE_HEADER, source.coordinates().toString().getBytes(StandardCharsets.UTF_8)));
    return retries.durably(producer, record);
  }

  /**
   * The original record's bytes, under its original key, with the reason in the headers. A record
   * too large for this producer ({@code max.request.size}, 1 MiB unless set in {@code kafka.properties})
   * is dead-lettered without its value, saying so, rather than holding its partition forever.
   */
  @Override
  public Future<Void> deadLetter(SourceRecord source, String jobId, ErrorCode code, String reason) {
    return retries.durably(producer, deadLetterRecord(source, source.value(), jobId, code, reason)).recover(error -> {
      if (!(error instanceof RecordTooLargeException)) {
        return Future.failedFuture(error);
      }
      int size = source.value() == null ? 0 : source.value().length();
      LOG.warn("dead letter of {} ({} bytes) is too large for {}; writing it without its value", source.here(),
          size, config.deadLetterTopic());
      return retries.durably(producer, deadLetterRecord(source, null, jobId, code, reason + " (the original record, "
          + size + " bytes, was too large to copy here: read it from " + source.coordinates() + " while it is retained)"));
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
        .add(Journey.ORIGIN, ascii(source.coordinates().toString()));
    if (jobId != null) {
      headers.add(JOB_ID_HEADER, jobId.getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(config.deadLetterTopic(), null, source.key(), value == null ? null : value.getBytes(),
        headers);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  Future<Void> close() {
    return producer == null ? Future.succeededFuture() : producer.flush().eventually(producer::close);
  }
}
