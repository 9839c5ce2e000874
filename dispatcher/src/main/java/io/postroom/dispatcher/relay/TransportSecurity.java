package io.postroom.dispatcher.relay;

import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.config.TlsMode;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The STARTTLS policy: how every connection to a relay is protected, in one place.
 *
 * <ul>
 *   <li>{@code starttls}: STARTTLS is required; a relay that does not offer it gets neither
 *       credentials nor mail.
 *   <li>{@code implicit}: TLS from the first byte (port 465).
 *   <li>{@code none}: clear text, only reachable behind the explicit development flag.
 * </ul>
 *
 * TLS 1.2 and 1.3 only; the certificate chain is checked against the configured PEM or the system
 * trust store, and the host name is verified.
 *
 * <p>vertx-mail-client 5.0.8 decides hostname verification when its pool is built, by reading and
 * then <em>overwriting</em> {@code hostnameVerificationAlgorithm} on the config object: an explicit
 * value, or a config that was already used by one pool, ends up as {@code ""}, which switches
 * verification off. So this class builds a brand-new {@link MailConfig} for every client and never
 * sets the algorithm itself; the pool then sets {@code HTTPS}.
 */
public final class TransportSecurity {
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private TransportSecurity() {
  }

  /** A fresh config for one mail client; never share or reuse the result. */
  public static MailConfig mailConfig(RelayConfig relay) {
    MailConfig config = new MailConfig()
        .setHostname(relay.host())
        .setPort(relay.port())
        .setTrustAll(false)
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setConnectTimeout((int) relay.connectTimeout().toMillis())
        .setSslHandshakeTimeout(relay.connectTimeout().toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    switch (relay.tls()) {
      case STARTTLS -> config.setSsl(false).setStarttls(StartTLSOptions.REQUIRED);
      case IMPLICIT -> config.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
      case NONE -> config.setSsl(false).setStarttls(StartTLSOptions.DISABLED);
    }
    if (relay.trustPem() != null) {
      config.setTrustOptions(new PemTrustOptions().addCertPath(relay.trustPem().toString()));
    }
    if (relay.hasCredentials()) {
      // REQUIRED: a relay that offers no AUTH fails the send instead of receiving unauthenticated mail
      config.setLogin(LoginOption.REQUIRED)
          .setUsername(relay.username())
          .setPassword(relay.password().reveal());
    } else {
      config.setLogin(LoginOption.DISABLED);
    }
    return config;
  }

  /** Whether this relay's traffic would travel in clear: worth a loud warning at start. */
  public static boolean isPlaintext(RelayConfig relay) {
    return relay.tls() == TlsMode.NONE;
  }
}
