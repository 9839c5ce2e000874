package io.postroom.dispatcher.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Address;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderTextTest {
  private static final String PREFIX = "=?UTF-8?B?";
  private static final String SUFFIX = "?=";
  /** Hindi and an emoji: three- and four-byte characters, so that words must not split one. */
  private static final String LONG = "प्रिय ग्राहक, आपका मासिक बिल तैयार है। कृपया समय पर भुगतान करें 🙏 ".repeat(4);

  private static List<String> words(String encoded) {
    return List.of(encoded.split("\r\n ", -1));
  }

  private static byte[] bytes(String word) {
    assertThat(word).startsWith(PREFIX).endsWith(SUFFIX);
    return Base64.getDecoder().decode(word.substring(PREFIX.length(), word.length() - SUFFIX.length()));
  }

  private static String decode(String encoded) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    words(encoded).forEach(word -> all.writeBytes(bytes(word)));
    return all.toString(StandardCharsets.UTF_8);
  }

  @Test
  void asciiIsLeftAsItIs() {
    assertThat(HeaderText.encode("q4 <mailto:u@example.org>; x=1 ?=")).isEqualTo("q4 <mailto:u@example.org>; x=1 ?=");
  }

  @Test
  void anEmptyValueIsLeftAsItIs() {
    assertThat(HeaderText.encode("")).isEmpty();
  }

  @Test
  void nonAsciiBecomesAUtf8Base64EncodedWord() {
    assertThat(HeaderText.encode("Grüße")).isEqualTo("=?UTF-8?B?R3LDvMOfZQ==?=");
  }

  @Test
  void aLongNonAsciiValueBecomesSeveralFoldedEncodedWords() {
    String encoded = HeaderText.encode(LONG);

    assertThat(words(encoded)).hasSizeGreaterThan(1)
        .allSatisfy(word -> assertThat(word).matches("=\\?UTF-8\\?B\\?[A-Za-z0-9+/]+=*\\?="));
  }

  @Test
  void noEncodedWordIsLongerThan75Characters() {
    assertThat(words(HeaderText.encode(LONG))).allSatisfy(word -> assertThat(word).hasSizeLessThanOrEqualTo(75));
  }

  @Test
  void theEncodedWordsDecodeBackToTheOriginal() {
    assertThat(decode(HeaderText.encode(LONG))).isEqualTo(LONG);
  }

  @Test
  void noCharacterIsSplitAcrossEncodedWords() {
    assertThat(words(HeaderText.encode(LONG))).allSatisfy(word -> {
      try {
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes(word)));
      } catch (CharacterCodingException e) {
        throw new AssertionError("word " + word + " is not whole UTF-8 characters", e);
      }
    });
  }

  @Test
  void theEncodedValueIsPlainAscii() {
    assertThat(HeaderText.encode(LONG).chars()).allMatch(c -> c < 128);
  }

  @Test
  void anAddressWithoutADisplayNameIsTheBareEmail() {
    assertThat(HeaderText.address(Address.parse("help@example.gov.in"))).isEqualTo("help@example.gov.in");
  }

  @Test
  void anAsciiDisplayNameIsWrittenAsItIs() {
    assertThat(HeaderText.address(Address.parse("Help Desk <help@example.gov.in>")))
        .isEqualTo("Help Desk <help@example.gov.in>");
  }

  @Test
  void anAsciiDisplayNameWithSpecialsIsQuoted() {
    assertThat(HeaderText.address(Address.parse("\"Doe, Jane\" <jane@example.org>")))
        .isEqualTo("\"Doe, Jane\" <jane@example.org>");
  }

  @Test
  void aNonAsciiDisplayNameIsEncodedAndTheEmailIsLeftPlain() {
    String written = HeaderText.address(Address.parse("Jürgen Müller <j@example.org>"));

    assertThat(written).startsWith(PREFIX).endsWith("?= <j@example.org>");
    assertThat(decode(written.substring(0, written.indexOf(" <")))).isEqualTo("Jürgen Müller");
  }
}
