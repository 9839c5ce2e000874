package io.postroom.contract.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The VERP envelope sender: names the message, fits a local part, and cannot be forged. */
class BounceTokenTest {
  private static final TokenKeys KEYS = TokenKeys.parse("k1 " + TokenKeysTest.SECRET_A);
  private static final String MESSAGE_ID = "<lq3k2x9a.1y2b3c4d5e6f7@example.gov.in>";

  @Test
  void theAddressNamesTheMessageAndReadsBack() {
    String address = BounceToken.address(KEYS, MESSAGE_ID, "bounces.example.gov.in").orElseThrow();

    assertThat(address).startsWith("bounces+lq3k2x9a.1y2b3c4d5e6f7-k1-").endsWith("@bounces.example.gov.in");
    assertThat(BounceToken.read(KEYS, address)).contains("lq3k2x9a.1y2b3c4d5e6f7");
    assertThat(BounceToken.messageRef(MESSAGE_ID)).contains("lq3k2x9a.1y2b3c4d5e6f7");
  }

  @Test
  void theLocalPartStaysWithinSixtyFourCharactersForTheLongestMessageId() {
    String longest = "<" + Long.toString(Long.MAX_VALUE, 36) + "." + Long.toUnsignedString(-1L, 36) + "@x.example>";
    String address = BounceToken.address(TokenKeys.parse("abcdefgh " + TokenKeysTest.SECRET_A), longest, "b.example")
        .orElseThrow();

    assertThat(address.substring(0, address.indexOf('@'))).hasSizeLessThanOrEqualTo(64);
  }

  @Test
  void anUpperCasedAddressStillReads() {
    String address = BounceToken.address(KEYS, MESSAGE_ID, "bounces.example.gov.in").orElseThrow();

    assertThat(BounceToken.read(KEYS, address.toUpperCase())).contains("lq3k2x9a.1y2b3c4d5e6f7");
  }

  @Test
  void anAlteredOrForeignAddressReadsAsNothing() {
    String address = BounceToken.address(KEYS, MESSAGE_ID, "bounces.example.gov.in").orElseThrow();
    String otherMessage = address.replace("lq3k2x9a", "lq3k2x9b");

    assertThat(BounceToken.read(KEYS, otherMessage)).isEmpty();
    assertThat(BounceToken.read(TokenKeys.parse("k1 " + TokenKeysTest.SECRET_B), address)).isEmpty();
    assertThat(BounceToken.read(KEYS, "noreply@example.gov.in")).isEmpty();
    assertThat(BounceToken.read(KEYS, null)).isEmpty();
  }

  @Test
  void aMessageIdThatIsNotPostroomsGetsNoVerpAddress() {
    assertThat(BounceToken.address(KEYS, "<CAF=abc@mail.gmail.com>", "b.example")).isEmpty();
    assertThat(BounceToken.messageRef(null)).isEmpty();
  }
}
