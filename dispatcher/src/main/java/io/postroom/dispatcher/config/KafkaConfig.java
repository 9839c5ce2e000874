package io.postroom.dispatcher.config;

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
}
