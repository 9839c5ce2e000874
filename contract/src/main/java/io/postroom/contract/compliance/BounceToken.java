package io.postroom.contract.compliance;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The VERP envelope sender of a mail: {@code bounces+<ref>-<key id>-<mac>@<tenant bounce domain>}.
 * {@code ref} is the local part of the mail's Message-ID ({@code <base36 time>.<base36 hash of
 * tenant and job id>}), which names the job (and, for a job of one recipient, the recipient);
 * {@code mac} is 12 base32 characters of an HMAC over it with the signing {@link TokenKeys} key,
 * so a forged bounce cannot suppress an address. Lower case only and at most 64 characters in the
 * local part (RFC 5321): mail systems may lower-case a local part, and refuse a longer one.
 *
 * <p>The bounce reader finds the job of a {@code ref} from the {@code SENT} events on
 * {@code mail.status}, which carry the Message-ID.
 */
public final class BounceToken {
  public static final String LOCAL_PREFIX = "bounces+";
  private static final String PURPOSE = "postroom-bounce-v1";
  private static final int MAC_CHARS = 12;
  private static final Pattern REF = Pattern.compile("[0-9a-z]{1,13}\\.[0-9a-z]{1,13}");
  private static final Pattern ADDRESS = Pattern.compile(
      Pattern.quote(LOCAL_PREFIX) + "([0-9a-z]{1,13}\\.[0-9a-z]{1,13})-([a-z0-9]{1,8})-([a-z2-7]{" + MAC_CHARS + "})@.+",
      Pattern.CASE_INSENSITIVE);
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private BounceToken() {
  }

  /**
   * The envelope sender for a mail with this Message-ID, or empty when the Message-ID is not one of
   * Postroom's (then the mail keeps its own bounce address).
   */
  public static Optional<String> address(TokenKeys keys, String messageId, String bounceDomain) {
    return messageRef(messageId).map(ref -> LOCAL_PREFIX + ref + "-" + keys.currentId() + "-"
        + mac(keys.derived(keys.currentId(), PURPOSE).orElseThrow(), ref) + "@" + bounceDomain);
  }

  /**
   * The {@code ref} of a VERP address that Postroom made with one of {@code keys}; empty for any
   * other address, or a forged or altered one.
   */
  public static Optional<String> read(TokenKeys keys, String address) {
    if (address == null) {
      return Optional.empty();
    }
    Matcher m = ADDRESS.matcher(address.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    String ref = m.group(1).toLowerCase(Locale.ROOT);
    return keys.derived(m.group(2).toLowerCase(Locale.ROOT), PURPOSE)
        .filter(key -> constantTimeEquals(mac(key, ref), m.group(3).toLowerCase(Locale.ROOT)))
        .map(key -> ref);
  }

  /** The local part of a Postroom Message-ID ({@code <ref@domain>} or {@code ref@domain}); empty for another's. */
  public static Optional<String> messageRef(String messageId) {
    if (messageId == null) {
      return Optional.empty();
    }
    String id = messageId.trim();
    if (id.startsWith("<") && id.endsWith(">")) {
      id = id.substring(1, id.length() - 1);
    }
    int at = id.indexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    String ref = id.substring(0, at);
    return REF.matcher(ref).matches() ? Optional.of(ref) : Optional.empty();
  }

  private static String mac(byte[] key, String ref) {
    byte[] mac = TokenKeys.hmac(key, ref.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder(MAC_CHARS);
    long bits = 0;
    int have = 0;
    for (int i = 0; out.length() < MAC_CHARS; i++) {
      bits = (bits << 8) | (mac[i] & 0xff);
      have += 8;
      while (have >= 5 && out.length() < MAC_CHARS) {
        have -= 5;
        out.append(BASE32[(int) (bits >>> have) & 31]);
      }
    }
    return out.toString();
  }

  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
        b.getBytes(StandardCharsets.US_ASCII));
  }
}
