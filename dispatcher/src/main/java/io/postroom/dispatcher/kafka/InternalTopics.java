package io.postroom.dispatcher.kafka;

import io.postroom.dispatcher.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.admin.TopicDescription;
import java.util.List;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the dispatcher's own topics (the retry tiers and the lane topics) exist before it
 * subscribes: a missing one is created with as many partitions, and the same replication, as the
 * jobs topic, so a job's waiting copies spread like the jobs themselves. Topics an operator made
 * beforehand are left as they are. A broker that refuses the creation stops the start with the
 * names to create by hand.
 */
public final class InternalTopics {
  private static final Logger LOG = LoggerFactory.getLogger(InternalTopics.class);

  private InternalTopics() {
  }

  public static Future<Void> ensure(Vertx vertx, KafkaConfig kafka, List<String> topics) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, kafka.clientProperties("admin"));
    return admin.listTopics()
        .compose(existing -> create(admin, kafka, topics.stream().filter(t -> !existing.contains(t)).toList()))
        .eventually(admin::close);
  }

  private static Future<Void> create(KafkaAdminClient admin, KafkaConfig kafka, List<String> missing) {
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    return admin.describeTopics(List.of(kafka.jobsTopic()))
        .recover(e -> Future.failedFuture(new IllegalStateException("cannot describe the jobs topic "
            + kafka.jobsTopic() + " to create " + missing + " like it: " + e.getMessage(), e)))
        .compose(described -> {
          TopicDescription jobs = described.get(kafka.jobsTopic());
          int partitions = jobs.getPartitions().size();
          short replication = (short) jobs.getPartitions().get(0).getReplicas().size();
          List<NewTopic> topics = missing.stream().map(name -> new NewTopic(name, partitions, replication)).toList();
          return admin.createTopics(topics)
              .recover(e -> alreadyMade(e) ? Future.succeededFuture() : Future.failedFuture(
                  new IllegalStateException("cannot create " + missing + " (" + e.getMessage() + "); create them with "
                      + partitions + " partitions each, like " + kafka.jobsTopic(), e)))
              .onSuccess(v -> LOG.info("created {} with {} partitions and replication {}", missing, partitions,
                  replication));
        });
  }

  /** Another dispatcher starting at the same time made them first. */
  private static boolean alreadyMade(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }
}
