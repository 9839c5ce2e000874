package io.postroom.api.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which tenant an API key belongs to. Keys are stored only as {@code sha256:<hex>} of the key: a
 * leaked configuration gives no usable key. Keys are random and long ({@link #generate()}: 256
 * bits), so a plain hash is as good as a slow one here. A presented key is hashed and compared with
 * every stored hash in constant time ({@link MessageDigest#isEqual}), without stopping at the first
 * match, so response times say nothing about how close a guess was. Keys never appear in logs.
 */
public final class ApiKeys {
  public static final String PREFIX = "sha256:";
  private static final HexFormat HEX = HexFormat.of();

  private record Entry(byte[] hash, String tenant) {
  }

  private final List<Entry> entries = new ArrayList<>();

  /** @param hashesByTenant each tenant's key hashes, as {@code sha256:<64 hex digits>} */
  public ApiKeys(Map<String, List<String>> hashesByTenant) {
    hashesByTenant.forEach((tenant, hashes) -> hashes.forEach(hash -> entries.add(new Entry(parse(hash), tenant))));
  }

  /** The bytes of a stored hash; an IllegalArgumentException says what is wrong with it. */
  public static byte[] parse(String stored) {
    if (stored == null || !stored.startsWith(PREFIX) || stored.length() != PREFIX.length() + 64) {
      throw new IllegalArgumentException("an API key hash must be 'sha256:' followed by 64 hex digits");
    }
    try {
      return HEX.parseHex(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("an API key hash must be 'sha256:' followed by 64 hex digits");
    }
  }

  /** The tenant whose key this is, if it is one. */
  public Optional<String> tenantOf(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presentedKey);
    String tenant = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.hash(), hash) && tenant == null) {
        tenant = entry.tenant();
      }
    }
    return Optional.ofNullable(tenant);
  }

  /**
   * A name for the key that is safe to write down (a suppression's source, say): {@code sha256:}
   * and the first 8 hex digits of its hash, which tell the tenant's keys apart and are no use to a
   * thief.
   */
  public static String nameOf(String presentedKey) {
    return hash(presentedKey).substring(0, PREFIX.length() + 8);
  }

  /** What goes into the configuration for {@code key}. */
  public static String hash(String key) {
    return PREFIX + HEX.formatHex(sha256(key));
  }

  /** A new random key: 32 bytes, URL-safe base64 without padding, prefixed "pr_" to be recognisable. */
  public static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "pr_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
