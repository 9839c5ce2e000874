package io.postroom.dispatcher.kafka;

import io.postroom.contract.config.KafkaSection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;

/**
 * The dispatcher's two writers to Kafka, started and closed together: the {@link OutcomePublisher}
 * (status events, dead letters) and the {@link KafkaJobForwarder} (copies of waiting jobs). They
 * share their {@link WriteRetries}: one fatal-error path, one throttled warning while Kafka is away.
 */
public final class KafkaWrites {
  private final WriteRetries retries;
  private final OutcomePublisher outcomes;
  private final KafkaJobForwarder forwarder;

  /**
   * @param fatal told, with the reason, when a write fails in a way no retry can mend (credentials,
   *     rights, a fenced producer): the process must end rather than retry forever
   */
  public KafkaWrites(Vertx vertx, KafkaSection config, Consumer<String> fatal) {
    this.retries = new WriteRetries(vertx, fatal);
    this.outcomes = new OutcomePublisher(vertx, config, retries);
    this.forwarder = new KafkaJobForwarder(vertx, config, retries);
  }

  /**
   * Creates both producers and fetches the metadata of every topic they write to.
   *
   * @param waitTopics the retry tiers and lane topics jobs are moved to
   */
  public Future<Void> start(List<String> waitTopics) {
    return outcomes.start().compose(v -> forwarder.start(waitTopics));
  }

  public OutcomePublisher outcomes() {
    return outcomes;
  }

  public KafkaJobForwarder forwarder() {
    return forwarder;
  }

  /** Flushes and closes both producers; writes still failing then fail instead of being retried. */
  public Future<Void> close() {
    retries.close();
    return Future.join(outcomes.close(), forwarder.close()).mapEmpty();
  }
}
