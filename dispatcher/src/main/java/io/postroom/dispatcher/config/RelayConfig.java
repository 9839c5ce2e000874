package io.postroom.dispatcher.config;

import io.postroom.contract.config.Secret;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One SMTP relay and how we talk to it.
 *
 * @param sendTimeout bound on one whole send (connect, TLS, AUTH, MAIL, RCPT, DATA, final dot):
 *     the mail client has no per-command timeout, so this is what keeps a silent relay from
 *     stalling the pipeline
 * @param idleTimeout a pooled connection on which nothing was read or written for this long is
 *     closed
 * @param rateLimit messages per second to this relay for the whole consumer group, or null for no
 *     limit; each instance takes the share of its assigned partitions
 */
public record RelayConfig(
    String name,
    String host,
    int port,
    TlsMode tls,
    String username,
    Secret password,
    Path trustPem,
    int poolSize,
    long maxMessageBytes,
    int maxMailsPerConnection,
    Duration connectTimeout,
    Duration sendTimeout,
    Duration idleTimeout,
    String ownHostname,
    Double rateLimit) {

  /** The same relay with another connection pool size: one dispatcher instance's part of the process's pool. */
  public RelayConfig withPoolSize(int size) {
    return new RelayConfig(name, host, port, tls, username, password, trustPem, size, maxMessageBytes,
        maxMailsPerConnection, connectTimeout, sendTimeout, idleTimeout, ownHostname, rateLimit);
  }

  public boolean hasCredentials() {
    return username != null;
  }

  /** "primary (mail.example.org:25)", how logs and errors name the relay. */
  public String describe() {
    return name + " (" + host + ":" + port + ")";
  }

  public String address() {
    return host + ":" + port;
  }
}
