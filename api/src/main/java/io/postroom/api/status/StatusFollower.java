package io.postroom.api.status;

import io.postroom.contract.StatusEvent;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.StatusTopicReader;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of {@code mail.status} into the {@link JobStatusStore}, from where the
 * store left off (the {@link StatusTopicReader}'s thread does the store's blocking writes too). No
 * consumer group: every api replica reads the whole topic into its own store, so any replica
 * answers for any job, a few milliseconds behind the topic.
 */
public final class StatusFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusFollower.class);

  private final JobStatusStore store;
  private final String topic;
  private final StatusTopicReader reader;
  private final Consumer<List<StatusEvent>> listener;

  /** @param listener told every event applied, on the reader's thread (e.g. the dashboard's counters) */
  public StatusFollower(JobStatusStore store, KafkaSection kafka, Consumer<List<StatusEvent>> listener) {
    this.store = store;
    this.topic = kafka.statusTopic();
    this.listener = listener;
    this.reader = StatusTopicReader.open(kafka.clientProperties("status"), topic, true, "postroom-status-follower");
  }

  public void start() {
    LOG.info("following {} into the job status store", topic);
    reader.follow(offsets -> store.nextOffset(offsets.partition()).orElse(offsets.beginningOffset()),
            records -> listener.accept(store.apply(records)))
        .whenComplete((v, error) -> {
          if (error != null) {
            LOG.error("stopped following {}: {}; job states are no longer updated", topic,
                (error.getCause() == null ? error : error.getCause()).toString());
          }
        });
  }

  @Override
  public void close() throws InterruptedException {
    try {
      reader.close().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("the status topic's consumer did not close cleanly: {}", e.toString());
    }
  }
}
