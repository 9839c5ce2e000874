package io.postroom.bounces.imap;

import io.postroom.bounces.config.ImapSettings;
import io.postroom.bounces.config.ImapTls;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS policy of the connection to the bounce mailbox, in one place: STARTTLS required before
 * anything else (a server that does not offer it gets no password) or TLS from the first byte;
 * TLS 1.2 and 1.3 only; the certificate chain checked against the configured PEM (or the system's
 * trust store) and the server's identity checked against the host name. Never {@code
 * mail.imap.ssl.trust}, which would trust any certificate of the named hosts.
 */
public final class ImapSessions {
  static final String PROTOCOLS = "TLSv1.3 TLSv1.2";

  private ImapSessions() {
  }

  /** The Angus Mail session for these settings; the password is not in it (it is given at connect). */
  public static Session session(ImapSettings imap) {
    String protocol = imap.tls() == ImapTls.IMPLICIT ? "imaps" : "imap";
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put("mail.store.protocol", protocol);
    props.put(p + "host", imap.host());
    props.put(p + "port", Integer.toString(imap.port()));
    props.put(p + "connectiontimeout", Long.toString(imap.timeout().toMillis()));
    props.put(p + "timeout", Long.toString(imap.timeout().toMillis()));
    props.put(p + "writetimeout", Long.toString(imap.timeout().toMillis()));
    if (imap.tls() == ImapTls.STARTTLS) {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    } else {
      props.put(p + "ssl.enable", "true");
    }
    props.put(p + "ssl.protocols", PROTOCOLS);
    props.put(p + "ssl.checkserveridentity", "true");
    // an object, not a string: Angus takes the factory as it is
    props.put(p + "ssl.socketFactory", sslContext(imap).getSocketFactory());
    return Session.getInstance(props);
  }

  private static SSLContext sslContext(ImapSettings imap) {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (imap.trustPem() == null) {
        trust.init((KeyStore) null);
      } else {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(imap.trustPem())) {
          int i = 0;
          for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("trusted-" + i++, certificate);
          }
          if (i == 0) {
            throw new IllegalArgumentException("bounces.imap.trustPem: " + imap.trustPem() + " holds no certificate");
          }
        }
        trust.init(store);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("bounces.imap.trustPem: cannot read " + imap.trustPem() + ": "
          + e.getMessage(), e);
    }
  }
}
