package io.postroom.api.suppressions;

import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.TopicFollower;
import java.util.ArrayList;
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

  public SuppressionView(SuppressionStore store, KafkaSection kafka) {
    this.topic = kafka.suppressionsTopic();
    this.follower = new TopicFollower(List.of(topic), kafka.clientProperties("suppressions"),
        "postroom-suppressions-follower", entries -> {
          List<SuppressionStore.Record> records = new ArrayList<>(entries.size());
          entries.forEach(entry -> records.add(new SuppressionStore.Record(entry.key(), entry.value())));
          store.apply(records).forEach(skipped -> LOG.warn("{}", skipped));
        })
        .onStop(e -> LOG.error("stopped following {}: {}; the suppression list is no longer updated", topic,
            e.toString()));
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
