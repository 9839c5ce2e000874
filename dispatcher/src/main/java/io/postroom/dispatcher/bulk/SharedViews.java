package io.postroom.dispatcher.bulk;

import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.kafka.TopicFollower;
import io.postroom.contract.template.RegisteredTemplates;
import io.postroom.dispatcher.compliance.SuppressionList;
import io.postroom.dispatcher.compliance.Suppressions;
import java.nio.file.Path;
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
 * version and per send. The tenants' suppression lists ({@code mail.suppressions}), which may hold
 * millions of addresses, have a reader and a store of their own ({@link SuppressionList}).
 */
public final class SharedViews implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedViews.class);

  private final KafkaSection kafka;
  private final Path stateDir;
  private final RegisteredTemplates templates = new RegisteredTemplates();
  private final BulkControls controls = new BulkControls();
  private TopicFollower follower;
  private volatile SuppressionList suppressions;
  private volatile CompletableFuture<Void> suppressionsRead;

  /** @param stateDir where the suppression list keeps its store (a directory of its own inside) */
  public SharedViews(KafkaSection kafka, Path stateDir) {
    this.kafka = kafka;
    this.stateDir = stateDir;
  }

  /** Creates the topics when they are missing (as the api does: compacted, one partition). Blocks. */
  public static void createTopics(KafkaStartCheck check, KafkaSection kafka) {
    check.createCompacted(topics(kafka), 1, "kafka.topics (templates, bulkControl)");
    check.createCompacted(List.of(kafka.suppressionsTopic()), 1, "kafka.topics.suppressions");
  }

  private static List<String> topics(KafkaSection kafka) {
    return List.of(kafka.templatesTopic(), kafka.bulkControlTopic());
  }

  /**
   * Starts reading; the future completes once what the templates and control topics held at the
   * start has been read ({@link #suppressionsRead()} for the suppressions). Blocks (opens the store).
   */
  public CompletableFuture<Void> start() {
    suppressions = SuppressionList.open(stateDir);
    suppressionsRead = suppressions.follow(kafka);
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

  /** The tenants' suppression lists; nobody is suppressed before {@link #start()}. */
  public Suppressions suppressions() {
    SuppressionList list = suppressions;
    return list == null ? Suppressions.NONE : list;
  }

  /** Completes once what {@code mail.suppressions} held at the start is in the list. */
  public CompletableFuture<Void> suppressionsRead() {
    return suppressionsRead;
  }

  /** Suppression records applied so far: a long first read that progresses is told from a stuck one. */
  public long suppressionsApplied() {
    SuppressionList list = suppressions;
    return list == null ? 0 : list.applied();
  }

  /** Stops reading. Blocks until the reading thread ended: call it off the event loop. */
  @Override
  public void close() throws InterruptedException {
    if (follower != null) {
      follower.close();
    }
    if (suppressions != null) {
      suppressions.close();
    }
  }
}
