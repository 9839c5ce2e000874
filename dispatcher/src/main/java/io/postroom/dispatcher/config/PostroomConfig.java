package io.postroom.dispatcher.config;

import java.util.List;
import java.util.Map;

/** The whole configuration of a dispatcher, built and validated once at start-up. */
public record PostroomConfig(
    KafkaConfig kafka,
    List<RelayConfig> relays,
    DispatchConfig dispatch,
    int httpPort,
    boolean allowPlaintext,
    Map<String, TenantConfig> tenants) {

  public PostroomConfig {
    relays = List.copyOf(relays);
    tenants = Map.copyOf(tenants);
  }

  /** The tenant's configuration, or the defaults for a tenant it does not name. */
  public TenantConfig tenant(String name) {
    TenantConfig tenant = tenants.get(name);
    return tenant == null ? TenantConfig.unnamed(name) : tenant;
  }

  /** The smallest SIZE limit of the configured relays: a job above it can go nowhere. */
  public long maxMessageBytes() {
    return relays.stream().mapToLong(RelayConfig::maxMessageBytes).min().orElseThrow();
  }
}
