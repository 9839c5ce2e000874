package io.postroom.contract.compliance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a one-click unsubscribe link stands for: a tenant's stream of mail to one address. The
 * token in the link ({@code /u/{token}}) is {@code <key id>.<base64url(nonce, AES-256-GCM of
 * tenant, stream, address)>}: opaque (the address does not show in a link, a proxy's log or a
 * browser's history) and unforgeable (a changed byte fails the GCM tag). The dispatcher seals it
 * with the current {@link TokenKeys} key; the api opens it with any listed key, so a rotation does
 * not break the links in mail already delivered.
 *
 * @param stream the tenant's category of mail, or {@link Suppression#ANY_STREAM} for all of it
 */
public record UnsubscribeToken(String tenant, String stream, String address) {
  private static final String PURPOSE = "postroom-unsubscribe-v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  public UnsubscribeToken {
    tenant = Suppression.checkedPart("tenant", tenant);
    stream = stream == null ? Suppression.ANY_STREAM : Suppression.checkedPart("stream", stream);
    address = Suppression.normalise(address);
  }

  /** The token for a link, sealed with the signing key. */
  public String seal(TokenKeys keys) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] plain = String.join("\0", tenant, stream, address).getBytes(StandardCharsets.UTF_8);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.derived(keys.currentId(), PURPOSE).orElseThrow(), nonce);
      cipher.updateAAD(keys.currentId().getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(plain);
      return keys.currentId() + "." + ENCODER.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has AES/GCM", e);
    }
  }

  /** What a token stands for, or empty when it is malformed, altered, or sealed with a key no longer listed. */
  public static Optional<UnsubscribeToken> open(TokenKeys keys, String token) {
    if (token == null || token.length() > 2048) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot < 1) {
      return Optional.empty();
    }
    String id = token.substring(0, dot);
    Optional<byte[]> key = keys.derived(id, PURPOSE);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      if (bytes.length <= NONCE_BYTES + TAG_BITS / 8) {
        return Optional.empty();
      }
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key.get(), java.util.Arrays.copyOf(bytes, NONCE_BYTES));
      cipher.updateAAD(id.getBytes(StandardCharsets.US_ASCII));
      String[] parts = new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES),
          StandardCharsets.UTF_8).split("\0", -1);
      return parts.length == 3 ? Optional.of(new UnsubscribeToken(parts[0], parts[1], parts[2])) : Optional.empty();
    } catch (AEADBadTagException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has AES/GCM", e);
    }
  }

  /** The suppression a one-click on this token's link records. */
  public Suppression suppression(java.time.Instant at, String source) {
    return new Suppression(tenant, address, stream, SuppressionReason.UNSUBSCRIBED, at, source);
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    return cipher;
  }
}
