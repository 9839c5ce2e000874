package io.postroom.dispatcher.config;

/**
 * What the configuration says about one tenant (an upstream system).
 *
 * @param rateLimit messages per second for this tenant over the whole consumer group, or null for
 *     no limit of its own
 * @param weight its share, against the other tenants of the same priority, of the sends waiting
 *     for a relay: a tenant of weight 2 gets two sends for every one of a tenant of weight 1
 * @param bounceDomain the domain of the tenant's VERP envelope senders ({@code bounces+<token>@<domain>}),
 *     whose mail comes back to the bounce mailbox ({@code tenants.<name>.bounceDomain}); null: the
 *     mail's From address is its envelope sender
 */
public record TenantConfig(String name, Double rateLimit, int weight, String bounceDomain) {

  /** A tenant the configuration does not name. */
  public static TenantConfig unnamed(String name) {
    return new TenantConfig(name, null, 1, null);
  }

  /** The same tenant with this bounce domain when it names none of its own. */
  public TenantConfig withDefaultBounceDomain(String domain) {
    return bounceDomain != null || domain == null ? this : new TenantConfig(name, rateLimit, weight, domain);
  }
}
