package io.postroom.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

  @Test
  void bareAddressHasNoDisplayName() {
    Address a = Address.parse("noreply@Example.GOV.in");

    assertThat(a.displayName()).isNull();
    assertThat(a.email()).isEqualTo("noreply@Example.GOV.in");
  }

  @Test
  void domainIsLowerCaseAndLocalPartIsKept() {
    Address a = Address.parse("No.Reply@Example.GOV.in");

    assertThat(a.domain()).isEqualTo("example.gov.in");
    assertThat(a.localPart()).isEqualTo("No.Reply");
  }

  @Test
  void displayNameIsKept() {
    Address a = Address.parse("Billing Team <noreply@example.gov.in>");

    assertThat(a.displayName()).isEqualTo("Billing Team");
    assertThat(a.email()).isEqualTo("noreply@example.gov.in");
  }

  @Test
  void quotedDisplayNameLosesItsQuotes() {
    assertThat(Address.parse("\"Doe, Jane\" <jane@example.org>").displayName()).isEqualTo("Doe, Jane");
  }

  @Test
  void escapedQuoteInsideAQuotedDisplayNameIsUnescaped() {
    assertThat(Address.parse("\"The \\\"Best\\\" Shop\" <shop@example.org>").displayName())
        .isEqualTo("The \"Best\" Shop");
  }

  @Test
  void angleAddressWithoutNameHasNoDisplayName() {
    assertThat(Address.parse("<a@example.org>")).isEqualTo(new Address(null, "a@example.org"));
  }

  @Test
  void nonAsciiDisplayNameIsAllowed() {
    assertThat(Address.parse("Jürgen Müller <jm@example.de>").displayName()).isEqualTo("Jürgen Müller");
  }

  @Test
  void printsAsNameAndAngleAddress() {
    assertThat(Address.parse("Billing <noreply@example.gov.in>")).hasToString("Billing <noreply@example.gov.in>");
    assertThat(Address.parse("noreply@example.gov.in")).hasToString("noreply@example.gov.in");
  }

  @Test
  void displayNameWithSpecialsIsQuotedSoItReadsBackTheSame() {
    Address a = new Address("Doe, \"JD\" Jane", "jane@example.org");

    assertThat(a).hasToString("\"Doe, \\\"JD\\\" Jane\" <jane@example.org>");
    assertThat(Address.parse(a.toString())).isEqualTo(a);
  }

  @Test
  void ipv4LiteralDomainIsAccepted() {
    assertThat(Address.parse("ops@[192.0.2.1]").domain()).isEqualTo("[192.0.2.1]");
  }

  @Test
  void missingDomainIsExplained() {
    assertThatThrownBy(() -> Address.parse("bob@")).isInstanceOf(AddressException.class)
        .hasMessage("the domain is missing");
  }

  @Test
  void internationalisedAddressIsRefusedAsSmtpUtf8() {
    assertThatThrownBy(() -> Address.parse("müller@example.de")).isInstanceOf(AddressException.class)
        .hasMessageContaining("SMTPUTF8");
  }

  @Test
  void internationalisedDomainIsRefusedAsSmtpUtf8() {
    assertThatThrownBy(() -> Address.parse("info@bücher.example")).hasMessageContaining("SMTPUTF8");
  }

  @Test
  void localPartLongerThan64IsRefused() {
    assertThatThrownBy(() -> Address.parse("x".repeat(65) + "@example.org")).hasMessageContaining("64");
  }

  @Test
  void addressLongerThan254IsRefused() {
    String domain = ("a".repeat(60) + ".").repeat(4) + "org";

    assertThatThrownBy(() -> Address.parse("x".repeat(10) + "@" + domain)).hasMessageContaining("254");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "plain", "@example.org", "a b@example.org", "a\t@example.org", "a..b@example.org",
      ".a@example.org", "a@-bad.example", "a@bad-.example", "a@exa_mple.org", "a@example", "a@example..org",
      "a@example.org.", "a@192.0.2.1", "a@[300.0.0.1]", "a@example.org>", "Name <a@example.org",
      "Name <a@example.org> x", "Name <>", "a@b@example.org", "a@example.org\r\n"})
  void refusesWhatIsNotAnAddress(String bad) {
    assertThatThrownBy(() -> Address.parse(bad)).isInstanceOf(AddressException.class);
  }

  @Test
  void addressExceptionIsAnIllegalArgument() {
    assertThatThrownBy(() -> Address.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
