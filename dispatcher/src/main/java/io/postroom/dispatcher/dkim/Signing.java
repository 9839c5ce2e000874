package io.postroom.dispatcher.dkim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postroom.contract.config.ConfigException;
import io.postroom.dispatcher.config.TenantConfig;
import io.postroom.dispatcher.config.TenantDkim;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which key signs a tenant's mail from a domain, process-wide: the tenants' key directories read at
 * start (before Vert.x works) and again every {@code dkim.rescanInterval} on a worker, so a new
 * selector is taken into use without a restart. The relays ask it at send time ({@link #keyFor});
 * the keys themselves never reach a log. Thread-safe: the instances' event loops read an immutable
 * map that a rescan replaces.
 */
public final class Signing {
  private static final Logger LOG = LoggerFactory.getLogger(Signing.class);

  private final Map<String, TenantDkim> tenants;
  private final Duration interval;
  private final MeterRegistry registry;
  /** Per key directory (tenants may share one), the key per domain. */
  private volatile Map<Path, Map<String, DkimKey>> keys = Map.of();
  /** When each tenant|domain without a key was last warned about (nanoTime). */
  private final Map<String, Long> warned = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private Set<String> reportedProblems = Set.of();
  private long timer = -1;
  private Vertx vertx;

  private Signing(Map<String, TenantDkim> tenants, Duration interval, MeterRegistry registry) {
    this.tenants = Map.copyOf(tenants);
    this.interval = interval;
    this.registry = registry;
  }

  /** No tenant signs: every mail goes unsigned, without a word. */
  public static Signing none() {
    return new Signing(Map.of(), Duration.ofSeconds(30), new SimpleMeterRegistry());
  }

  /**
   * Reads every tenant's keys now, blocking. A domain's newest key file that cannot be used stops
   * the start: a {@link ConfigException} naming the tenant's {@code keysDir} key and the file.
   */
  public static Signing load(Map<String, TenantConfig> tenantConfigs, Duration interval, MeterRegistry registry) {
    Map<String, TenantDkim> tenants = new LinkedHashMap<>();
    tenantConfigs.forEach((name, tenant) -> {
      if (tenant.dkim() != null) {
        tenants.put(name, tenant.dkim());
      }
    });
    Signing signing = new Signing(tenants, interval, registry);
    Map<Path, Map<String, DkimKey>> found = new HashMap<>();
    tenants.forEach((name, dkim) -> {
      if (found.containsKey(dkim.keysDir())) {
        return;
      }
      KeyDirectory.Scan scan = KeyDirectory.scan(dkim.keysDir(), Map.of());
      if (!scan.problems().isEmpty()) {
        throw new ConfigException("tenants." + name + ".dkim.keysDir", String.join("; ", scan.problems()));
      }
      found.put(dkim.keysDir(), scan.keys());
    });
    signing.keys = Map.copyOf(found);
    tenants.forEach((name, dkim) -> {
      Map<String, DkimKey> own = found.get(dkim.keysDir());
      if (own.isEmpty()) {
        LOG.warn("DKIM: tenant {} has no key in {}; its mail is {}", name, dkim.keysDir(),
            dkim.whenMissing() == TenantDkim.WhenMissing.SEND ? "sent unsigned" : "rejected (DKIM_NOT_CONFIGURED)");
      }
      own.values().forEach(key -> LOG.info("DKIM: tenant {} signs mail from {} with selector {} ({} bits);"
          + " publish TXT {} \"{}\"", name, key.domain(), key.selector(), key.bits(), key.dnsName(), key.txtRecord()));
    });
    return signing;
  }

  /** Rescans every {@code dkim.rescanInterval}, on a worker thread. */
  public void start(Vertx vertx) {
    if (tenants.isEmpty()) {
      return;
    }
    this.vertx = vertx;
    timer = vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(() -> {
      rescan();
      return null;
    }, false).onFailure(error -> LOG.warn("DKIM: rescan failed: {}", error.toString())));
  }

  public void stop() {
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Reads the key directories again (blocking): a greater selector, or a key file replaced under
   * its name, is used by the next send; a file that cannot be used is reported and the domain
   * keeps its key.
   */
  public synchronized void rescan() {
    Map<Path, Map<String, DkimKey>> before = keys;
    Map<Path, Map<String, DkimKey>> after = new HashMap<>();
    Set<String> problems = new HashSet<>();
    for (TenantDkim dkim : tenants.values()) {
      if (after.containsKey(dkim.keysDir())) {
        continue;
      }
      Map<String, DkimKey> previous = before.getOrDefault(dkim.keysDir(), Map.of());
      KeyDirectory.Scan scan = KeyDirectory.scan(dkim.keysDir(), previous);
      problems.addAll(scan.problems());
      after.put(dkim.keysDir(), scan.keys());
      scan.keys().forEach((domain, key) -> {
        DkimKey old = previous.get(domain);
        if (old != key) {
          LOG.info("DKIM: mail from {} is now signed with selector {} ({}; was {}); publish TXT {} \"{}\"",
              domain, key.selector(), key.file(), old == null ? "unsigned" : "selector " + old.selector(),
              key.dnsName(), key.txtRecord());
        }
      });
    }
    for (String problem : problems) {
      if (!reportedProblems.contains(problem)) {
        LOG.warn("DKIM: {}; the domain keeps the key it had", problem);
      }
    }
    reportedProblems = Set.copyOf(problems);
    keys = Map.copyOf(after);
  }

  /**
   * The key that signs this tenant's mail from {@code domain} now, or null: unsigned. A tenant
   * without a dkim block sends unsigned without a word (its relay may sign); one with a block and
   * no key for the domain is counted, and warned about once per domain per rescan interval.
   */
  public DkimKey keyFor(String tenant, String domain) {
    TenantDkim dkim = tenants.get(tenant);
    if (dkim == null) {
      return null;
    }
    DkimKey key = keys.getOrDefault(dkim.keysDir(), Map.of()).get(normal(domain));
    if (key == null) {
      counter("postroom_dkim_unsigned_total", "Mails sent unsigned: the tenant signs, its From domain has no key",
          tenant, domain).increment();
      warnUnsigned(tenant, domain, dkim);
    }
    return key;
  }

  /**
   * Why this tenant's mail from {@code domain} must not go, or null: the tenant's {@code whenMissing}
   * is {@code reject} and the domain has no key.
   */
  public String refusal(String tenant, String domain) {
    TenantDkim dkim = tenants.get(tenant);
    if (dkim == null || dkim.whenMissing() != TenantDkim.WhenMissing.REJECT
        || keys.getOrDefault(dkim.keysDir(), Map.of()).containsKey(normal(domain))) {
      return null;
    }
    return "tenant " + tenant + " signs its mail with DKIM and has no key for the From domain " + domain
        + " (expected " + dkim.keysDir().resolve(normal(domain)).resolve("<selector>.pem") + ")";
  }

  /** A signed mail the relay accepted. */
  public void signed(String tenant, String domain) {
    counter("postroom_dkim_signed_total", "Mails signed with DKIM that the relay accepted", tenant, domain)
        .increment();
  }

  /** Signing threw: the mail was not sent (neither signed nor unsigned). */
  public void failed(String tenant, String domain) {
    counter("postroom_dkim_failures_total", "Sends that failed because DKIM signing threw; the mail was not sent",
        tenant, domain).increment();
  }

  private void warnUnsigned(String tenant, String domain, TenantDkim dkim) {
    String which = tenant + "|" + normal(domain);
    long now = System.nanoTime();
    Long last = warned.get(which);
    if (last == null || now - last >= interval.toNanos()) {
      warned.put(which, now);
      LOG.warn("DKIM: tenant {} has no key for {} (expected {}): its mail goes unsigned (whenMissing=send)",
          tenant, domain, dkim.keysDir().resolve(normal(domain)).resolve("<selector>.pem"));
    }
  }

  private Counter counter(String name, String description, String tenant, String domain) {
    String d = normal(domain);
    return counters.computeIfAbsent(name + "|" + tenant + "|" + d, k -> Counter.builder(name)
        .description(description).tag("tenant", tenant).tag("domain", d).register(registry));
  }

  private static String normal(String domain) {
    return Objects.requireNonNull(domain).toLowerCase(java.util.Locale.ROOT);
  }
}
