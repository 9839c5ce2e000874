package io.postroom.api.suppressions;

import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.TopicFollower;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code mail.suppressions} from the beginning into the {@link SuppressionStore} and follows
 * it, on the follower's thread (which does the store's blocking writes too). No consumer group: every
 * api replica holds every tenant's list, a moment behind the topic.
 */
public final class SuppressionView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SuppressionView.class);

  private final String topic;
  private final TopicFollower follower;

  /**
   * @param unsubscribes told of each unsubscribe of the last day as it is read (the dashboard's mail
   *     health counts them); the other records are not parsed: a start reads millions
   */
  public SuppressionView(SuppressionStore store, KafkaSection kafka, Consumer<Suppression> unsubscribes) {
    this.topic = kafka.suppressionsTopic();
    this.follower = new TopicFollower(List.of(topic), kafka.clientProperties("suppressions"),
        "postroom-suppressions-follower", entries -> {
          List<SuppressionStore.Record> records = new ArrayList<>(entries.size());
          entries.forEach(entry -> records.add(new SuppressionStore.Record(entry.key(), entry.value())));
          store.apply(records).forEach(skipped -> LOG.warn("{}", skipped));
          Instant since = Instant.now().minus(Duration.ofDays(1));
          entries.forEach(entry -> recentUnsubscribe(entry.value(), since).ifPresent(unsubscribes));
        })
        .onStop(e -> LOG.error("stopped following {}: {}; the suppression list is no longer updated", topic,
            e.toString()));
  }

  /** The suppression in {@code value} if it is an unsubscribe at or after {@code since}, read cheaply first. */
  static Optional<Suppression> recentUnsubscribe(byte[] value, Instant since) {
    if (value == null) {
      return Optional.empty();
    }
    String text = new String(value, StandardCharsets.UTF_8);
    if (!text.contains("\"UNSUBSCRIBED\"")) {
      return Optional.empty();
    }
    try {
      Suppression suppression = Suppression.fromJson(new JsonObject(text));
      return suppression.reason() == SuppressionReason.UNSUBSCRIBED && !suppression.at().isBefore(since)
          ? Optional.of(suppression) : Optional.empty();
    } catch (RuntimeException e) {
      // not a suppression: the store said so when it skipped it
      return Optional.empty();
    }
  }

  public SuppressionView start() {
    LOG.info("following {} into the suppression store", topic);
    follower.start();
    return this;
  }

  /** Completes once everything the topic held at the start is in the store. */
  public CompletableFuture<Void> caughtUp() {
    return follower.caughtUp();
  }

  /** Completes once the record at {@code offset} of the partition is in the store. */
  public CompletableFuture<Void> applied(int partition, long offset) {
    return follower.applied(topic, partition, offset);
  }

  @Override
  public void close() throws InterruptedException {
    follower.close();
  }
}
