package io.postroom.dispatcher.dkim;

import io.postroom.contract.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Reads and checks one key file. Blocking: at start before Vert.x works, or on a worker. The key's
 * bytes never appear in a message; the file's path does.
 */
final class KeyFile {
  static final int MIN_BITS = 2048;
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  /** RFC 6376 3.1: a selector is dot-separated labels. */
  private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
      + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");

  private KeyFile() {
  }

  /** Why a key file cannot be used; the message names the file and says what to do. */
  static final class Refused extends Exception {
    Refused(Path file, String why) {
      super("DKIM key " + file + ": " + why);
    }
  }

  static boolean validSelector(String selector) {
    return SELECTOR.matcher(selector).matches();
  }

  static DkimKey read(Path file, String domain, String selector) throws Refused {
    if (!validSelector(selector)) {
      throw new Refused(file, "'" + selector + "' is not a DKIM selector (letters, digits, '-' and '.')");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new Refused(file, "cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      throw new Refused(file, "is a PKCS#1 key (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with"
          + " 'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out <new>.pem'");
    }
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new Refused(file, "is encrypted; give an unencrypted PKCS#8 key (BEGIN PRIVATE KEY) from a Secret");
    }
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new Refused(file, "is not a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
    }
    RSAPrivateCrtKey key;
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end).strip());
      if (!(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der))
          instanceof RSAPrivateCrtKey crt)) {
        throw new Refused(file, "is not an RSA key with its public part (CRT form)");
      }
      key = crt;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new Refused(file, "is not a readable RSA PKCS#8 key (ed25519 and EC keys are not supported)");
    }
    int bits = key.getModulus().bitLength();
    if (bits < MIN_BITS) {
      throw new Refused(file, "is an RSA key of " + bits + " bits; at least " + MIN_BITS + " are required");
    }
    try {
      byte[] publicKey = KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
      String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      return new DkimKey(domain, selector, Secret.of(Base64.getEncoder().encodeToString(der)),
          Base64.getEncoder().encodeToString(publicKey), bits, file, digest);
    } catch (GeneralSecurityException e) {
      throw new Refused(file, "its public key cannot be derived (" + e.getClass().getSimpleName() + ")");
    }
  }
}
