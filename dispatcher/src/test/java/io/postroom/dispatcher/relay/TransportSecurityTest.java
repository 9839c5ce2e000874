package io.postroom.dispatcher.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.dispatcher.config.ConfigLoader;
import io.postroom.dispatcher.config.RelayConfig;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportSecurityTest {

  @TempDir
  Path dir;

  private static RelayConfig relay(Map<String, String> env) {
    return ConfigLoader.load(env).relays().get(0);
  }

  @Test
  void starttlsIsRequiredAndLoginIsRequiredWithCredentials() {
    MailConfig config = TransportSecurity.mailConfig(relay(Map.of(
        "POSTROOM_RELAY_USERNAME", "svc", "POSTROOM_RELAY_PASSWORD", "pw")));

    assertThat(config.getStarttls()).isEqualTo(StartTLSOptions.REQUIRED);
    assertThat(config.isSsl()).isFalse();
    assertThat(config.getLogin()).isEqualTo(LoginOption.REQUIRED);
    assertThat(config.getUsername()).isEqualTo("svc");
  }

  @Test
  void implicitModeUsesTlsFromTheFirstByte() {
    MailConfig config = TransportSecurity.mailConfig(relay(Map.of("POSTROOM_RELAY_TLS", "implicit")));

    assertThat(config.isSsl()).isTrue();
    assertThat(config.getPort()).isEqualTo(465);
  }

  @Test
  void onlyTls12AndNewerAreEnabled() {
    MailConfig config = TransportSecurity.mailConfig(relay(Map.of()));

    assertThat(config.getEnabledSecureTransportProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
  }

  @Test
  void certificatesAreCheckedAndTheVerificationAlgorithmIsLeftForThePoolToSet() {
    MailConfig config = TransportSecurity.mailConfig(relay(Map.of()));

    assertThat(config.isTrustAll()).isFalse();
    // an explicit algorithm makes vertx-mail-client 5.0.8 switch verification off; see TransportSecurity
    assertThat(config.getHostnameVerificationAlgorithm()).isNullOrEmpty();
  }

  @Test
  void trustPemIsUsedWhenConfigured() throws IOException {
    Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");

    MailConfig config = TransportSecurity.mailConfig(relay(Map.of("POSTROOM_RELAY_TRUST_PEM", pem.toString())));

    assertThat(config.getTrustOptions()).isInstanceOf(PemTrustOptions.class);
    assertThat(((PemTrustOptions) config.getTrustOptions()).getCertPaths()).containsExactly(pem.toString());
  }

  @Test
  void everyCallBuildsAFreshConfig() {
    RelayConfig relay = relay(Map.of());

    assertThat(TransportSecurity.mailConfig(relay)).isNotSameAs(TransportSecurity.mailConfig(relay));
  }

  @Test
  void noTlsOnlyWithTheDevelopmentFlag() {
    RelayConfig relay = relay(Map.of("POSTROOM_RELAY_TLS", "none", "POSTROOM_ALLOW_PLAINTEXT", "true"));

    assertThat(TransportSecurity.isPlaintext(relay)).isTrue();
    assertThat(TransportSecurity.mailConfig(relay).getStarttls()).isEqualTo(StartTLSOptions.DISABLED);
  }
}
