package io.postroom.bounces.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.bounces.config.ImapSettings;
import io.postroom.bounces.config.ImapTls;
import io.postroom.contract.config.Secret;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class ImapSessionsTest {
  private static Properties properties(ImapTls tls, int port) {
    Session session = ImapSessions.session(new ImapSettings("imap.example.gov.in", port, tls, "bounces",
        Secret.of("pw"), null, "INBOX", Duration.ofSeconds(30)));
    return session.getProperties();
  }

  @Test
  void starttlsIsRequiredAndTheServersIdentityCheckedWithTls12Or13() {
    Properties p = properties(ImapTls.STARTTLS, 143);

    assertThat(p.getProperty("mail.store.protocol")).isEqualTo("imap");
    assertThat(p.getProperty("mail.imap.starttls.enable")).isEqualTo("true");
    assertThat(p.getProperty("mail.imap.starttls.required")).isEqualTo("true");
    assertThat(p.getProperty("mail.imap.ssl.checkserveridentity")).isEqualTo("true");
    assertThat(p.getProperty("mail.imap.ssl.protocols")).isEqualTo("TLSv1.3 TLSv1.2");
    assertThat(p.get("mail.imap.ssl.socketFactory")).isInstanceOf(SSLSocketFactory.class);
  }

  @Test
  void implicitTlsUsesImapsFromTheFirstByte() {
    Properties p = properties(ImapTls.IMPLICIT, 993);

    assertThat(p.getProperty("mail.store.protocol")).isEqualTo("imaps");
    assertThat(p.getProperty("mail.imaps.ssl.enable")).isEqualTo("true");
    assertThat(p.getProperty("mail.imaps.ssl.checkserveridentity")).isEqualTo("true");
  }

  @Test
  void noHostIsEverTrustedWhateverItsCertificate() {
    for (ImapTls tls : ImapTls.values()) {
      assertThat(properties(tls, 1).stringPropertyNames()).noneMatch(name -> name.endsWith(".ssl.trust"))
          .noneMatch(name -> name.contains("password"));
    }
  }
}
