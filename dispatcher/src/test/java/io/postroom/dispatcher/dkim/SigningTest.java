package io.postroom.dispatcher.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postroom.contract.config.ConfigException;
import io.postroom.dispatcher.config.TenantConfig;
import io.postroom.dispatcher.config.TenantDkim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningTest {
  @TempDir
  Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Signing signing(TenantDkim.WhenMissing whenMissing) {
    return Signing.load(Map.of(
            "billing", new TenantConfig("billing", null, 1, new TenantDkim(dir, whenMissing), null),
            "plain", new TenantConfig("plain", null, 1)),
        Duration.ofSeconds(30), registry);
  }

  private double count(String name, String tenant, String domain) {
    var counter = registry.find(name).tag("tenant", tenant).tag("domain", domain).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aTenantsMailFromADomainWithAKeyIsSignedWithIt() {
    TestKeys.write(dir, "a.example", "s1", 2048);

    DkimKey key = signing(TenantDkim.WhenMissing.SEND).keyFor("billing", "A.Example");

    assertThat(key.domain()).isEqualTo("a.example");
    assertThat(key.selector()).isEqualTo("s1");
  }

  @Test
  void aDomainWithoutAKeyGoesUnsignedAndIsCountedWhenTheTenantSaysSend() {
    Signing signing = signing(TenantDkim.WhenMissing.SEND);

    assertThat(signing.refusal("billing", "b.example")).isNull();
    assertThat(signing.keyFor("billing", "b.example")).isNull();
    assertThat(count("postroom_dkim_unsigned_total", "billing", "b.example")).isEqualTo(1);
  }

  @Test
  void aDomainWithoutAKeyIsRefusedNamingTenantAndDomainWhenTheTenantSaysReject() {
    Signing signing = signing(TenantDkim.WhenMissing.REJECT);

    assertThat(signing.refusal("billing", "b.example"))
        .startsWith("tenant billing signs its mail with DKIM and has no key for the From domain b.example");
  }

  @Test
  void aDomainWithAKeyIsNotRefused() {
    TestKeys.write(dir, "a.example", "s1", 2048);

    assertThat(signing(TenantDkim.WhenMissing.REJECT).refusal("billing", "a.example")).isNull();
  }

  @Test
  void aTenantWithoutADkimBlockSendsUnsignedUncounted() {
    Signing signing = signing(TenantDkim.WhenMissing.REJECT);

    assertThat(signing.refusal("plain", "a.example")).isNull();
    assertThat(signing.keyFor("plain", "a.example")).isNull();
    assertThat(registry.find("postroom_dkim_unsigned_total").counters()).isEmpty();
  }

  @Test
  void aNewSelectorIsUsedAfterTheNextRescan() {
    TestKeys.write(dir, "a.example", "s2026-06", 2048);
    Signing signing = signing(TenantDkim.WhenMissing.SEND);
    DkimKey before = signing.keyFor("billing", "a.example");
    TestKeys.write(dir, "a.example", "s2026-12", 2048);

    DkimKey stillBefore = signing.keyFor("billing", "a.example");
    signing.rescan();

    assertThat(stillBefore).isSameAs(before);
    assertThat(signing.keyFor("billing", "a.example").selector()).isEqualTo("s2026-12");
  }

  @Test
  void aKeyAddedForANewDomainIsUsedAfterTheNextRescan() {
    Signing signing = signing(TenantDkim.WhenMissing.REJECT);
    TestKeys.write(dir, "b.example", "s1", 2048);

    signing.rescan();

    assertThat(signing.refusal("billing", "b.example")).isNull();
    assertThat(signing.keyFor("billing", "b.example").selector()).isEqualTo("s1");
  }

  @Test
  void aBadKeyAtStartStopsTheStartNamingTheTenantsKeyAndTheFile() {
    Path file = TestKeys.write(dir, "a.example", "s1", 1024);

    assertThatThrownBy(() -> signing(TenantDkim.WhenMissing.SEND))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tenants.billing.dkim.keysDir: DKIM key " + file + ": is an RSA key of 1024 bits");
  }

  @Test
  void aBadKeyAtARescanKeepsTheDomainsKey() throws Exception {
    TestKeys.write(dir, "a.example", "s1", 2048);
    Signing signing = signing(TenantDkim.WhenMissing.SEND);
    DkimKey before = signing.keyFor("billing", "a.example");
    Files.writeString(dir.resolve("a.example").resolve("s2.pem"), "not a key");

    signing.rescan();

    assertThat(signing.keyFor("billing", "a.example")).isSameAs(before);
  }

  @Test
  void signedAndFailedSendsAreCountedPerTenantAndDomain() {
    Signing signing = signing(TenantDkim.WhenMissing.SEND);

    signing.signed("billing", "a.example");
    signing.signed("billing", "a.example");
    signing.failed("billing", "a.example");

    assertThat(count("postroom_dkim_signed_total", "billing", "a.example")).isEqualTo(2);
    assertThat(count("postroom_dkim_failures_total", "billing", "a.example")).isEqualTo(1);
  }
}
