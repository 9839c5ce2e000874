package io.postroom.dispatcher.kafka;

import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.process.StartFailure;
import io.postroom.contract.config.KafkaSection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a dispatcher starts its clients: Kafka answers, the topics it is given exist (jobs, status,
 * dead letters), and its own topics (the retry tiers and the lane topics) exist. A missing own
 * topic is created with as many partitions, and the same replication, as the jobs topic, so a job's
 * waiting copies spread like the jobs themselves; topics an operator made beforehand are left as
 * they are. Each failure stops the start with a {@link StartFailure} naming what to do.
 *
 * <p>Blocks (bounded by the start timeout): call it on a worker thread.
 */
public final class InternalTopics {
  private static final Logger LOG = LoggerFactory.getLogger(InternalTopics.class);

  private InternalTopics() {
  }

  public static void ensure(KafkaStartCheck kafka, KafkaSection config, List<String> ownTopics) {
    TopicDescription jobs = kafka.requireTopics(
        List.of(config.jobsTopic(), config.statusTopic(), config.deadLetterTopic()),
        "kafka.topics (jobs, status, dlq)").get(config.jobsTopic());
    Set<String> existing = kafka.existingTopics();
    List<String> missing = ownTopics.stream().filter(t -> !existing.contains(t)).toList();
    if (missing.isEmpty()) {
      return;
    }
    int partitions = jobs.partitions().size();
    short replication = (short) jobs.partitions().get(0).replicas().size();
    List<NewTopic> topics = missing.stream().map(name -> new NewTopic(name, partitions, replication)).toList();
    try {
      kafka.await(kafka.admin().createTopics(topics).all(), "create them");
      LOG.info("created {} with {} partitions and replication {}", missing, partitions, replication);
    } catch (StartFailure e) {
      if (!alreadyMade(kafka, missing)) {
        throw new StartFailure("cannot create the dispatcher's own topics " + String.join(", ", missing) + " ("
            + e.getMessage() + "); create them with " + partitions + " partitions each, like " + config.jobsTopic()
            + ", or let the dispatcher's Kafka user create topics");
      }
    }
  }

  /** Another dispatcher starting at the same time made them first. */
  private static boolean alreadyMade(KafkaStartCheck kafka, List<String> missing) {
    try {
      return kafka.existingTopics().containsAll(missing);
    } catch (StartFailure e) {
      return false;
    }
  }
}
