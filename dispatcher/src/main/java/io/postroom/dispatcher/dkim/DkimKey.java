package io.postroom.dispatcher.dkim;

import io.postroom.contract.config.Secret;
import java.nio.file.Path;

/**
 * One signing key: a domain's selector and its RSA private key, as read from
 * {@code <keysDir>/<domain>/<selector>.pem}. Prints without the key.
 *
 * @param privateKey the PKCS#8 key, base64 without the PEM armour: what vertx-mail-client reads
 * @param publicKey the public key, base64 of its X.509 encoding: the {@code p=} of the DNS record
 * @param digest SHA-256 of the file's bytes: a file replaced under the same name is a new key
 */
public record DkimKey(String domain, String selector, Secret privateKey, String publicKey, int bits, Path file,
    String digest) {

  /** Where verifiers look the public key up: {@code <selector>._domainkey.<domain>}. */
  public String dnsName() {
    return selector + "._domainkey." + domain;
  }

  /** The TXT value to publish at {@link #dnsName()}. */
  public String txtRecord() {
    return "v=DKIM1; k=rsa; p=" + publicKey;
  }

  /** Same file, same bytes: nothing to change. */
  boolean sameAs(DkimKey other) {
    return other != null && other.file.equals(file) && other.digest.equals(digest);
  }

  @Override
  public String toString() {
    return "DkimKey[" + dnsName() + ", " + bits + " bits, " + file + "]";
  }
}
