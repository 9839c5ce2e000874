package io.postroom.dispatcher.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka side: where the broker is, which topics we read and write, and extra client
 * properties passed through as they are (e.g. security.protocol, sasl.jaas.config).
 */
public record KafkaConfig(
    String bootstrapServers,
    String consumerGroup,
    String jobsTopic,
    String statusTopic,
    String deadLetterTopic,
    Map<String, String> properties) {

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
