package io.postroom.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderPolicyTest {

  private final SenderPolicy policy = new SenderPolicy(Map.of(
      "acme", List.of("acme.example", "Mail.Acme.Example"),
      "globex", List.of("globex.example"),
      "nobody", List.of()));

  @Test
  void aTenantMaySendFromItsDomain() {
    assertThat(policy.allows("acme", "billing@acme.example")).isTrue();
  }

  @Test
  void theDomainOfTheAddressIsComparedCaseInsensitively() {
    assertThat(policy.allows("acme", "Billing@ACME.Example")).isTrue();
  }

  @Test
  void aConfiguredDomainIsComparedCaseInsensitively() {
    assertThat(policy.allows("acme", "news@mail.acme.example")).isTrue();
  }

  @Test
  void aTenantMayNotSendFromAnotherTenantsDomain() {
    assertThat(policy.allows("acme", "billing@globex.example")).isFalse();
  }

  @Test
  void aTenantMayNotSendFromAnUnlistedDomain() {
    assertThat(policy.allows("acme", "billing@elsewhere.example")).isFalse();
  }

  @Test
  void aSubdomainIsRefusedUnlessItIsListed() {
    assertThat(policy.allows("globex", "billing@mail.globex.example")).isFalse();
  }

  @Test
  void aListedSubdomainIsAllowed() {
    assertThat(policy.allows("acme", "billing@mail.acme.example")).isTrue();
  }

  @Test
  void aDomainThatMerelyEndsLikeAnAllowedOneIsRefused() {
    assertThat(policy.allows("globex", "billing@evilglobex.example")).isFalse();
  }

  @Test
  void aTenantWithNoDomainsMaySendFromNone() {
    assertThat(policy.allows("nobody", "billing@acme.example")).isFalse();
  }

  @Test
  void anUnknownTenantMaySendFromNone() {
    assertThat(policy.allows("stranger", "billing@acme.example")).isFalse();
  }

  @Test
  void anAddressWithoutAnAtSignIsRefused() {
    assertThat(policy.allows("acme", "acme.example")).isFalse();
  }

  @Test
  void aMissingAddressIsRefused() {
    assertThat(policy.allows("acme", null)).isFalse();
  }

  @Test
  void theDomainIsTakenAfterTheLastAtSign() {
    assertThat(policy.allows("acme", "someone@globex.example@acme.example")).isTrue();
    assertThat(policy.allows("acme", "someone@acme.example@globex.example")).isFalse();
  }

  @Test
  void domainsOfGivesATenantsDomainsInLowerCase() {
    assertThat(policy.domainsOf("acme")).containsExactlyInAnyOrder("acme.example", "mail.acme.example");
  }

  @Test
  void domainsOfAnUnknownTenantIsEmpty() {
    assertThat(policy.domainsOf("stranger")).isEmpty();
  }
}
