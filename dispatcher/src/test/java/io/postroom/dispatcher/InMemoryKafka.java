package io.postroom.dispatcher;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.dispatcher.kafka.JobForwarder;
import io.postroom.dispatcher.kafka.OutcomeWriter;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The dispatcher's Kafka writes, kept in memory: every write is durable at once. */
public final class InMemoryKafka implements OutcomeWriter, JobForwarder {
  public final List<StatusEvent> statuses = new ArrayList<>();
  public final List<DeadLetter> deadLetters = new ArrayList<>();
  public final List<Copy> copies = new ArrayList<>();

  public record DeadLetter(SourceRecord source, String jobId, ErrorCode code, String reason) {
  }

  public record Copy(String topic, int partition, String key, Buffer value, List<KafkaHeader> headers) {
    public String header(String name) {
      return headers.stream().filter(h -> h.key().equals(name)).map(h -> h.value().toString(StandardCharsets.UTF_8))
          .findFirst().orElse(null);
    }
  }

  @Override
  public Future<Void> status(StatusEvent event, SourceRecord source) {
    statuses.add(event);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> deadLetter(SourceRecord source, String jobId, ErrorCode code, String reason) {
    deadLetters.add(new DeadLetter(source, jobId, code, reason));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> forward(String topic, int partition, String key, Buffer value, List<KafkaHeader> headers) {
    copies.add(new Copy(topic, partition, key, value, List.copyOf(headers)));
    return Future.succeededFuture();
  }

  public List<State> states() {
    return statuses.stream().map(StatusEvent::state).toList();
  }
}
