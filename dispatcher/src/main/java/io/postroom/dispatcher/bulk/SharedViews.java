package io.postroom.dispatcher.bulk;

import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.kafka.TopicFollower;
import io.postroom.contract.template.RegisteredTemplates;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every dispatcher process reads whole and keeps current: the registered templates
 * ({@code mail.templates}), with which a {@code templateRef} job is rendered, and what each bulk
 * send was last asked to be ({@code mail.bulk.control}), which the processor asks before handing
 * a recipient to the relay. One reader per process, on a thread of its own ({@link TopicFollower});
 * the instances share what it learns. Both topics are compacted and small: a record per template
 * version and per send.
 */
public final class SharedViews implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedViews.class);

  private final KafkaSection kafka;
  private final RegisteredTemplates templates = new RegisteredTemplates();
  private final BulkControls controls = new BulkControls();
  private TopicFollower follower;

  public SharedViews(KafkaSection kafka) {
    this.kafka = kafka;
  }

  /** Creates the topics when they are missing (as the api does: compacted, one partition). Blocks. */
  public static void createTopics(KafkaStartCheck check, KafkaSection kafka) {
    check.createCompacted(topics(kafka), 1, "kafka.topics (templates, bulkControl)");
  }

  private static List<String> topics(KafkaSection kafka) {
    return List.of(kafka.templatesTopic(), kafka.bulkControlTopic());
  }

  /** Starts reading; the future completes once what the topics held at the start has been read. */
  public CompletableFuture<Void> start() {
    follower = new TopicFollower(topics(kafka), kafka.clientProperties("views"), "postroom-views", entries -> {
      for (TopicFollower.Entry entry : entries) {
        String skipped = entry.topic().equals(kafka.templatesTopic())
            ? templates.apply(entry.key(), entry.value())
            : controls.apply(entry.key(), entry.value());
        if (skipped != null) {
          LOG.warn("{}", skipped);
        }
      }
    }).onStop(e -> LOG.error("stopped reading {}: {}; new templates, cancels and pauses are no longer seen",
        topics(kafka), e.toString()))
        .start();
    return follower.caughtUp();
  }

  public RegisteredTemplates templates() {
    return templates;
  }

  public BulkControls controls() {
    return controls;
  }

  /** Stops reading. Blocks until the reading thread ended: call it off the event loop. */
  @Override
  public void close() throws InterruptedException {
    if (follower != null) {
      follower.close();
    }
  }
}
