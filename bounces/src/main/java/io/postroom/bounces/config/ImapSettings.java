package io.postroom.bounces.config;

import io.postroom.contract.config.Secret;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the bounce mailbox is and how to log in to it.
 *
 * @param host {@code bounces.imap.host}, {@code POSTROOM_BOUNCES_IMAP_HOST}
 * @param port {@code bounces.imap.port}, {@code POSTROOM_BOUNCES_IMAP_PORT}: 143 for STARTTLS, 993 for implicit TLS
 * @param tls {@code bounces.imap.tls}, {@code POSTROOM_BOUNCES_IMAP_TLS}
 * @param username {@code bounces.imap.username}, {@code POSTROOM_BOUNCES_IMAP_USERNAME}
 * @param password {@code POSTROOM_BOUNCES_IMAP_PASSWORD} or the file in {@code POSTROOM_BOUNCES_IMAP_PASSWORD_FILE}
 * @param trustPem the certificates to trust ({@code bounces.imap.trustPem}, {@code
 *     POSTROOM_BOUNCES_IMAP_TRUST_PEM}); null: the system's trust store
 * @param folder the folder the reports arrive in ({@code bounces.imap.folder}, default {@code INBOX})
 * @param timeout connect and read timeout ({@code bounces.imap.timeout}, default 30 s)
 */
public record ImapSettings(String host, int port, ImapTls tls, String username, Secret password, Path trustPem,
    String folder, Duration timeout) {
}
