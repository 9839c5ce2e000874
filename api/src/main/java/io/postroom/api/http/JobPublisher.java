package io.postroom.api.http;

import io.postroom.contract.StatusEvent;
import io.postroom.contract.kafka.DurableWrites;
import io.postroom.contract.kafka.HeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands accepted jobs to {@code mail.jobs}: key = the job's id, value = its JSON, through an
 * idempotent producer with {@code acks=all}. A returned future succeeds only once Kafka has the job
 * durably; only then does the api answer 202. The api's other records (bulk chunks, templates,
 * bulk control) go through the same producer ({@link #send}).
 */
public final class JobPublisher {
  private final String topic;
  private final String statusTopic;
  private final KafkaProducer<String, Buffer> producer;

  JobPublisher(Vertx vertx, ApiConfig config) {
    this.topic = config.kafka().jobsTopic();
    this.statusTopic = config.kafka().statusTopic();
    Map<String, String> base = new HashMap<>(config.kafka().properties());
    base.put("bootstrap.servers", config.kafka().bootstrapServers());
    base.put("client.id", config.kafka().clientId());
    Map<String, String> props = DurableWrites.producerProperties(base);
    props.putIfAbsent("linger.ms", "5");
    // a request must not hang on a broker that is gone: fail it and let the client try again
    props.putIfAbsent("delivery.timeout.ms", "30000");
    props.putIfAbsent("request.timeout.ms", "10000");
    props.putIfAbsent("max.block.ms", "10000");
    this.producer = KafkaProducer.create(vertx, props);
    producer.exceptionHandler(e -> { });
  }

  Future<Void> publish(String id, Buffer job) {
    return producer.send(KafkaProducerRecord.create(topic, id, job)).mapEmpty();
  }

  /**
   * The job's ACCEPTED event on {@code mail.status}, written after the job itself: every api
   * replica's status store learns of the job from it, so a repeated id is recognised anywhere.
   */
  Future<Void> accepted(StatusEvent event) {
    KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(statusTopic, event.id(),
        event.toJson().toBuffer());
    record.addHeader(HeaderNames.STATE, event.state().name());
    return producer.send(record).mapEmpty();
  }

  /** Any record of the api's, durably as a job; the future holds where it was written. */
  public Future<RecordMetadata> send(KafkaProducerRecord<String, Buffer> record) {
    return producer.send(record);
  }

  /** How many partitions the topic has. */
  public Future<Integer> partitions(String topic) {
    return producer.partitionsFor(topic).map(java.util.List::size);
  }

  /** Whether Kafka answers for the jobs topic: the api is ready. */
  Future<Void> check() {
    return producer.partitionsFor(topic).mapEmpty();
  }

  Future<Void> close() {
    return producer.flush().eventually(producer::close);
  }
}
