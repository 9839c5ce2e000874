package io.postroom.dispatcher.config;

/**
 * What the configuration says about one tenant (an upstream system).
 *
 * @param rateLimit messages per second for this tenant over the whole consumer group, or null for
 *     no limit of its own
 * @param weight its share, against the other tenants of the same priority, of the sends waiting
 *     for a relay: a tenant of weight 2 gets two sends for every one of a tenant of weight 1
 * @param dkim how its mail is signed, or null: sent unsigned, without a word (its relay may sign)
 */
public record TenantConfig(String name, Double rateLimit, int weight, TenantDkim dkim) {

  public TenantConfig(String name, Double rateLimit, int weight) {
    this(name, rateLimit, weight, null);
  }

  /** A tenant the configuration does not name. */
  public static TenantConfig unnamed(String name) {
    return new TenantConfig(name, null, 1);
  }
}
