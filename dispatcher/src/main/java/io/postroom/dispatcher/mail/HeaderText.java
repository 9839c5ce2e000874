package io.postroom.dispatcher.mail;

import io.postroom.contract.Address;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Header values the mail client writes as given (our extra headers, Reply-To): non-ASCII text
 * becomes RFC 2047 encoded words, so no 8-bit byte reaches a relay that did not offer 8BITMIME.
 * Values are already free of CR and LF: the validator rejects those as HEADER_INJECTION.
 */
final class HeaderText {
  /** An encoded word may be 75 characters; "=?UTF-8?B?" and "?=" take 12, so 63 of base64: 45 bytes. */
  private static final int BYTES_PER_WORD = 45;

  private HeaderText() {
  }

  static String encode(String value) {
    if (value.chars().allMatch(c -> c >= 32 && c < 127)) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    StringBuilder chunk = new StringBuilder();
    int chunkBytes = 0;
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      int bytes = ch.getBytes(StandardCharsets.UTF_8).length;
      if (chunkBytes + bytes > BYTES_PER_WORD) {
        word(out, chunk);
        chunk.setLength(0);
        chunkBytes = 0;
      }
      chunk.append(ch);
      chunkBytes += bytes;
      i += Character.charCount(cp);
    }
    word(out, chunk);
    return out.toString();
  }

  static String address(Address address) {
    if (address.displayName() == null || address.displayName().chars().allMatch(c -> c >= 32 && c < 127)) {
      return address.toString();
    }
    return encode(address.displayName()) + " <" + address.email() + ">";
  }

  private static void word(StringBuilder out, CharSequence chunk) {
    if (chunk.length() == 0) {
      return;
    }
    if (out.length() > 0) {
      out.append("\r\n "); // folded: decoders join adjacent encoded words without the space
    }
    out.append("=?UTF-8?B?")
        .append(Base64.getEncoder().encodeToString(chunk.toString().getBytes(StandardCharsets.UTF_8)))
        .append("?=");
  }
}
