package io.postroom.dispatcher.config;

import io.postroom.contract.config.ComplianceSection;
import io.postroom.contract.config.KafkaSection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration of a dispatcher, built and validated once at start-up.
 *
 * @param compliance the token keys and unsubscribe addresses shared with the api and the bounce reader
 * @param bounceDomain the VERP bounce domain of tenants that name none ({@code compliance.bounceDomain},
 *     {@code POSTROOM_BOUNCE_DOMAIN}); null for none
 * @param stateDir where the process keeps its local stores (the suppression list), rebuilt from Kafka
 *     at each start ({@code dispatch.stateDir}, {@code POSTROOM_STATE_DIR})
 */
public record PostroomConfig(
    KafkaSection kafka,
    List<RelayConfig> relays,
    DispatchConfig dispatch,
    int httpPort,
    boolean allowPlaintext,
    Map<String, TenantConfig> tenants,
    FaultTolerance faults,
    ComplianceSection compliance,
    String bounceDomain,
    Path stateDir) {

  public PostroomConfig {
    relays = List.copyOf(relays);
    tenants = Map.copyOf(tenants);
  }

  /** The tenant's configuration, or the defaults for a tenant it does not name. */
  public TenantConfig tenant(String name) {
    TenantConfig tenant = tenants.get(name);
    return (tenant == null ? TenantConfig.unnamed(name) : tenant).withDefaultBounceDomain(bounceDomain);
  }

  /**
   * The configuration one of {@code dispatch().instances()} dispatcher instances of this process
   * runs with: its part of each relay's connection pool ({@code POSTROOM_RELAY_POOL_SIZE} stays the
   * number of connections the <em>process</em> opens to a relay, what a relay's per-client limit
   * sees), of the in-flight bound and of the lane capacity. Rate limits need no split here: each
   * instance has its own consumer in the group and takes the share of the partitions it reads.
   *
   * @param index which instance, from 0
   */
  public PostroomConfig forInstance(int index) {
    int count = dispatch.instances();
    List<RelayConfig> shared = relays.stream()
        .map(relay -> relay.withPoolSize(InstanceShare.part(relay.poolSize(), count, index)))
        .toList();
    return new PostroomConfig(count == 1 ? kafka : kafka.forInstance(index), shared, dispatch.share(), httpPort,
        allowPlaintext, tenants, faults, compliance, bounceDomain, stateDir);
  }

  /** The smallest SIZE limit of the configured relays: a job above it can go nowhere. */
  public long maxMessageBytes() {
    return relays.stream().mapToLong(RelayConfig::maxMessageBytes).min().orElseThrow();
  }
}
