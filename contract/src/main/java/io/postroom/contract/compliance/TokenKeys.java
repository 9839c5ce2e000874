package io.postroom.contract.compliance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets behind the tokens Postroom hands out (one-click unsubscribe links, VERP bounce
 * addresses), with rotation: the first key signs new tokens, every listed key is still accepted,
 * so a key can be replaced by putting the new one first and dropping the old one once its tokens
 * no longer matter.
 *
 * <p>Text form (the file named by {@code POSTROOM_TOKEN_KEYS_FILE}): one key per line, {@code <id>
 * <base64 secret of at least 32 bytes>}, ids of 1..8 lower-case letters and digits; blank lines
 * and lines starting with {@code #} are skipped. Secrets are never printed: {@link #toString()}
 * names the ids only.
 */
public final class TokenKeys {
  private static final Pattern ID = Pattern.compile("[a-z0-9]{1,8}");
  static final int MIN_SECRET_BYTES = 32;

  private final Map<String, byte[]> secrets;
  private final String current;

  private TokenKeys(Map<String, byte[]> secrets) {
    this.secrets = secrets;
    this.current = secrets.keySet().iterator().next();
  }

  /**
   * Reads the text form.
   *
   * @throws IllegalArgumentException naming the line that is wrong (never quoting a secret)
   */
  public static TokenKeys parse(String text) {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      if (parts.length != 2 || !ID.matcher(parts[0]).matches()) {
        throw new IllegalArgumentException("line " + (i + 1)
            + " is not '<id> <base64 secret>' with an id of 1 to 8 lower-case letters and digits");
      }
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(parts[1].trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": the secret of key '" + parts[0] + "' is not base64");
      }
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("line " + (i + 1) + ": the secret of key '" + parts[0] + "' has "
            + secret.length + " bytes; at least " + MIN_SECRET_BYTES + " are needed");
      }
      if (secrets.putIfAbsent(parts[0], secret) != null) {
        throw new IllegalArgumentException("line " + (i + 1) + ": key '" + parts[0] + "' is listed twice");
      }
    }
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("no key is listed");
    }
    return new TokenKeys(secrets);
  }

  /** A new line for the keys file: {@code <id> <32 random bytes, base64>} and a newline. */
  public static String newKeyLine(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a key id is 1 to 8 lower-case letters and digits, not '" + id + "'");
    }
    byte[] secret = new byte[MIN_SECRET_BYTES];
    new java.security.SecureRandom().nextBytes(secret);
    return id + " " + Base64.getEncoder().encodeToString(secret) + "\n";
  }

  /** The id of the key that signs new tokens. */
  public String currentId() {
    return current;
  }

  /** The ids of every accepted key, the signing one first. */
  public List<String> ids() {
    return new ArrayList<>(secrets.keySet());
  }

  /**
   * A key for one purpose, derived from the secret of key {@code id} (HMAC-SHA256 of the purpose):
   * tokens of one kind are never valid as tokens of another.
   */
  Optional<byte[]> derived(String id, String purpose) {
    byte[] secret = secrets.get(id);
    return secret == null ? Optional.empty() : Optional.of(hmac(secret, purpose.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "TokenKeys" + ids();
  }
}
