package io.postroom.contract.kafka;

import io.postroom.contract.process.StartFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * What a process checks of Kafka before it starts its clients: that the brokers answer within the
 * start timeout, and that the topics it needs exist. Each failure is a {@link StartFailure} naming
 * the bootstrap address and the key to change, or the topic and how to create it. A Kafka client
 * left to find this out itself retries forever and says only "Node may not be available".
 *
 * <p>Blocks: call it on a worker thread, never on an event loop.
 */
public final class KafkaStartCheck implements AutoCloseable {
  private final Admin admin;
  private final String bootstrap;
  private final String bootstrapKey;
  private final Duration timeout;
  private final long deadlineNanos;

  private KafkaStartCheck(Admin admin, String bootstrap, String bootstrapKey, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
    this.bootstrap = bootstrap;
    this.bootstrapKey = bootstrapKey;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  /**
   * Waits until the cluster answers, at most {@code timeout} (which also bounds the later checks).
   *
   * @param properties the client properties (bootstrap.servers, security, ...)
   * @param bootstrapKey the setting an operator changes to point at other brokers, for the message
   */
  public static KafkaStartCheck reach(Map<String, String> properties, String bootstrapKey, Duration timeout) {
    String bootstrap = properties.get("bootstrap.servers");
    Map<String, Object> props = new HashMap<>(properties);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    props.put("default.api.timeout.ms", Integer.toString(millis));
    props.put("request.timeout.ms", Integer.toString(Math.min(millis, 30_000)));
    props.putIfAbsent("client.id", "postroom-start-check");
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (KafkaException e) {
      throw new StartFailure("Kafka at " + bootstrap + " cannot be reached (" + StartFailure.sentence(e)
          + "); check " + bootstrapKey);
    }
    KafkaStartCheck check = new KafkaStartCheck(admin, bootstrap, bootstrapKey, timeout);
    try {
      check.await(admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes(), "answer");
      return check;
    } catch (RuntimeException e) {
      check.close();
      throw e;
    }
  }

  /** Fails naming every missing topic and how to create it. */
  public Map<String, TopicDescription> requireTopics(Collection<String> topics, String topicKeys) {
    Set<String> existing = existingTopics();
    List<String> missing = topics.stream().filter(t -> !existing.contains(t)).distinct().toList();
    if (!missing.isEmpty()) {
      throw new StartFailure((missing.size() == 1 ? "topic " + missing.get(0) + " does not exist"
          : "topics " + String.join(", ", missing) + " do not exist") + " on Kafka at " + bootstrap
          + "; create " + (missing.size() == 1 ? "it" : "them") + " (kafka-topics.sh --bootstrap-server " + bootstrap
          + " --create --topic " + missing.get(0) + " --partitions <dispatchers>), or name the right ones in "
          + topicKeys);
    }
    return describe(topics);
  }

  /**
   * Creates those of {@code topics} that do not exist as compacted topics (they hold a current value
   * per key: templates, the parts and states of bulk sends); fails naming any it may not create.
   */
  public void createCompacted(Collection<String> topics, int partitions, String topicKeys) {
    Set<String> existing = existingTopics();
    List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t)).distinct()
        .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())
            .configs(Map.of("cleanup.policy", "compact")))
        .toList();
    if (missing.isEmpty()) {
      return;
    }
    try {
      await(admin.createTopics(missing).all(), "create the compacted topics "
          + String.join(", ", missing.stream().map(NewTopic::name).toList()));
    } catch (StartFailure e) {
      if (existingTopics().containsAll(missing.stream().map(NewTopic::name).toList())) {
        return; // another process created them a moment ago
      }
      throw new StartFailure(e.getMessage() + "; create it (kafka-topics.sh --bootstrap-server " + bootstrap
          + " --create --topic " + missing.get(0).name() + " --partitions " + partitions
          + " --config cleanup.policy=compact), or name the right one in " + topicKeys);
    }
  }

  public Set<String> existingTopics() {
    return await(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(), "list its topics");
  }

  public Map<String, TopicDescription> describe(Collection<String> topics) {
    return await(admin.describeTopics(topics).allTopicNames(), "describe " + String.join(", ", topics));
  }

  /** For further checks within the same deadline (creating topics, say). */
  public Admin admin() {
    return admin;
  }

  /** Waits for an admin call until the start deadline; each failure in words to act on. */
  public <T> T await(KafkaFuture<T> future, String what) {
    long remaining = Math.max(1, deadlineNanos - System.nanoTime());
    try {
      return future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable();
      }
      if (cause instanceof AuthenticationException) {
        throw new StartFailure("Kafka at " + bootstrap + " refused our credentials (" + StartFailure.sentence(cause)
            + "); check kafka.properties (security.protocol, sasl.*)");
      }
      if (cause instanceof AuthorizationException) {
        throw new StartFailure("Kafka at " + bootstrap + " did not allow us to " + what + " ("
            + StartFailure.sentence(cause) + "); grant the dispatcher's Kafka user that right");
      }
      throw new StartFailure("Kafka at " + bootstrap + " did not " + what + ": " + StartFailure.sentence(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartFailure("the start was interrupted while waiting for Kafka at " + bootstrap);
    }
  }

  private StartFailure unreachable() {
    return new StartFailure("Kafka at " + bootstrap + " did not answer within " + (timeout.toMillis() % 1000 == 0
        ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms") + " (POSTROOM_KAFKA_START_TIMEOUT); check " + bootstrapKey + " and that the brokers are up and reachable");
  }

  @Override
  public void close() {
    admin.close(Duration.ZERO);
  }
}
