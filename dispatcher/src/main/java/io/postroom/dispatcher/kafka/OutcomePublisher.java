package io.postroom.dispatcher.kafka;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.DurableWrites;
import io.postroom.contract.kafka.HeaderNames;
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
  private static final Logger LOG = LoggerFactory.getLogger(OutcomePublisher.class);

  private final Vertx vertx;
  private final KafkaSection config;
  private final WriteRetries retries;
  private DirectProducer producer;

  OutcomePublisher(Vertx vertx, KafkaSection config, WriteRetries retries) {
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

  static Map<String, String> producerProperties(KafkaSection config, String role) {
    Map<String, String> props = DurableWrites.producerProperties(config.clientProperties(role));
    props.put("max.in.flight.requests.per.connection", "5");
    props.putIfAbsent("linger.ms", "2");
    return props;
  }

  /** The event, with the state and the job's source record in headers ({@link HeaderNames#STATE}, {@link HeaderNames#SOURCE}). */
  @Override
  public Future<Void> status(StatusEvent event, SourceRecord source) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.statusTopic(), null, event.id(),
        event.toJson().toBuffer().getBytes(), new RecordHeaders()
            .add(HeaderNames.STATE, event.state().name().getBytes(StandardCharsets.UTF_8))
            .add(HeaderNames.SOURCE, source.coordinates().toString().getBytes(StandardCharsets.UTF_8)));
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
        .add(HeaderNames.ERROR, reason.getBytes(StandardCharsets.UTF_8))
        .add(HeaderNames.ERROR_CODE, ascii(code.name()))
        .add(HeaderNames.SOURCE_TOPIC, ascii(source.topic()))
        .add(HeaderNames.SOURCE_PARTITION, ascii(Integer.toString(source.partition())))
        .add(HeaderNames.SOURCE_OFFSET, ascii(Long.toString(source.offset())))
        .add(HeaderNames.ORIGIN, ascii(source.coordinates().toString()));
    if (jobId != null) {
      headers.add(HeaderNames.JOB_ID, jobId.getBytes(StandardCharsets.UTF_8));
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
