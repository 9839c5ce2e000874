package io.postroom.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {

  @Test
  void bareAddressHasNoDisplayName() {
    Address a = Address.parse("noreply@Example.GOV.in");

    assertThat(a.displayName()).isNull();
    assertThat(a.email()).isEqualTo("noreply@Example.GOV.in");
    assertThat(a.domain()).isEqualTo("example.gov.in");
  }

  @Test
  void displayNameIsKeptAndQuotesAreRemoved() {
    assertThat(Address.parse("Billing <noreply@example.gov.in>").displayName()).isEqualTo("Billing");
    assertThat(Address.parse("\"Doe, Jane\" <jane@example.org>").displayName()).isEqualTo("Doe, Jane");
  }

  @Test
  void ipv4LiteralDomainIsAccepted() {
    assertThat(Address.parse("ops@[192.0.2.1]").domain()).isEqualTo("[192.0.2.1]");
  }

  @Test
  void printsAsItWouldBeWritten() {
    assertThat(Address.parse("Billing <noreply@example.gov.in>")).hasToString("Billing <noreply@example.gov.in>");
  }

  @Test
  void refusesWhatIsNotAnAddress() {
    for (String bad : new String[] {"", "plain", "@example.org", "a@", "a b@example.org", "a..b@example.org",
        "a@-bad.example", "a@example", "x".repeat(65) + "@example.org", "a@example.org>", "Name <a@example.org> x"}) {
      assertThatThrownBy(() -> Address.parse(bad)).as(bad).isInstanceOf(AddressException.class);
    }
  }
}
