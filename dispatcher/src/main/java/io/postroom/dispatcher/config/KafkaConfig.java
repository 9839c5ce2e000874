package io.postroom.dispatcher.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka side: where the broker is, which topics we read and write, and extra client
 * properties passed through as they are (e.g. security.protocol, sasl.jaas.config).
 *
 * @param retryTopicPrefix the retry tiers are {@code retryTopicPrefix.10s} and so on
 * @param laneTopicPrefix the lane topics are {@code laneTopicPrefix.high}, {@code .normal}, {@code .bulk}
 */
public record KafkaConfig(
    String bootstrapServers,
    String consumerGroup,
    String jobsTopic,
    String statusTopic,
    String deadLetterTopic,
    String retryTopicPrefix,
    String laneTopicPrefix,
    Map<String, String> properties) {

  /** The retry and lane topics named after the jobs topic: {@code mail.jobs.retry.*}, {@code mail.jobs.lanes.*}. */
  public KafkaConfig(String bootstrapServers, String consumerGroup, String jobsTopic, String statusTopic,
      String deadLetterTopic, Map<String, String> properties) {
    this(bootstrapServers, consumerGroup, jobsTopic, statusTopic, deadLetterTopic, jobsTopic + ".retry",
        jobsTopic + ".lanes", properties);
  }

  /** The same, with the client ids of dispatcher instance {@code index}: distinct ids in one process. */
  public KafkaConfig forInstance(int index) {
    Map<String, String> props = new HashMap<>(properties);
    props.put("client.id", properties.getOrDefault("client.id", "postroom-dispatcher") + "-" + index);
    return new KafkaConfig(bootstrapServers, consumerGroup, jobsTopic, statusTopic, deadLetterTopic, retryTopicPrefix,
        laneTopicPrefix, props);
  }

  /**
   * What every Kafka client of a dispatcher starts from: the extra properties, the bootstrap servers,
   * and a client id per role ({@code client.id} from the properties, if set, is the prefix).
   */
  public Map<String, String> clientProperties(String role) {
    Map<String, String> props = new HashMap<>(properties);
    props.put("bootstrap.servers", bootstrapServers);
    props.put("client.id", properties.getOrDefault("client.id", "postroom-dispatcher") + "-" + role);
    return props;
  }
}
