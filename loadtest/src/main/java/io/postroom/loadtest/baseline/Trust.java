package io.postroom.loadtest.baseline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** The {@code --trust-pem} certificates: checked up front, and as Jakarta Mail's socket factory. */
final class Trust {
  private Trust() {
  }

  /** The certificates in the PEM file; an IllegalArgumentException naming the option if there are none. */
  static List<Certificate> certificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("--trust-pem: " + pem + " holds no certificate");
      }
      return List.copyOf(certificates);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--trust-pem: cannot read certificates from " + pem + ": " + e.getMessage(), e);
    }
  }

  /** TLS sockets that trust exactly these certificates (as trust anchors), nothing from the JDK's store. */
  static SSLSocketFactory socketFactory(List<Certificate> certificates) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("trusted-" + i, certificates.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context from the trusted certificates", e);
    }
  }
}
