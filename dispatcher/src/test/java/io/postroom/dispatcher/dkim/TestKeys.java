package io.postroom.dispatcher.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RSA keys written as PEM files, for the key directory's tests (the ITs use testkit's DkimFixture). */
final class TestKeys {
  private TestKeys() {
  }

  static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code <dir>/<domain>/<selector>.pem} (PKCS#8), with a new key of {@code bits}. */
  static Path write(Path dir, String domain, String selector, int bits) {
    return writePem(dir, domain, selector, "PRIVATE KEY", rsa(bits).getPrivate().getEncoded());
  }

  static Path writePem(Path dir, String domain, String selector, String type, byte[] der) {
    try {
      Path file = Files.createDirectories(dir.resolve(domain)).resolve(selector + ".pem");
      String pem = "-----BEGIN " + type + "-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
      return Files.writeString(file, pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
