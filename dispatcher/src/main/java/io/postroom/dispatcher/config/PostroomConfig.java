package io.postroom.dispatcher.config;

import java.util.List;

/** The whole configuration of a dispatcher, built and validated once at start-up. */
public record PostroomConfig(
    KafkaConfig kafka,
    List<RelayConfig> relays,
    DispatchConfig dispatch,
    int httpPort,
    boolean allowPlaintext) {

  public PostroomConfig {
    relays = List.copyOf(relays);
  }

  /** The smallest SIZE limit of the configured relays: a job above it can go nowhere. */
  public long maxMessageBytes() {
    return relays.stream().mapToLong(RelayConfig::maxMessageBytes).min().orElseThrow();
  }
}
