package io.postroom.api.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which sender domains each tenant may use in {@code from}. The relay trusts the dispatchers' IP
 * address, so this is the last check against a tenant sending as another: a tenant with no domains
 * configured may send from none. A domain allows itself only, not its subdomains; list those too.
 */
public final class SenderPolicy {
  private final Map<String, Set<String>> domainsByTenant;

  public SenderPolicy(Map<String, List<String>> domainsByTenant) {
    this.domainsByTenant = domainsByTenant.entrySet().stream().collect(Collectors.toUnmodifiableMap(
        Map.Entry::getKey,
        e -> e.getValue().stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet())));
  }

  /** Whether {@code tenant} may send from the address {@code fromEmail} ({@code local@domain}). */
  public boolean allows(String tenant, String fromEmail) {
    int at = fromEmail == null ? -1 : fromEmail.lastIndexOf('@');
    if (at < 0) {
      return false;
    }
    String domain = fromEmail.substring(at + 1).toLowerCase(Locale.ROOT);
    return domainsByTenant.getOrDefault(tenant, Set.of()).contains(domain);
  }

  public Set<String> domainsOf(String tenant) {
    return domainsByTenant.getOrDefault(tenant, Set.of());
  }
}
