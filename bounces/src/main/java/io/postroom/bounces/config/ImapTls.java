package io.postroom.bounces.config;

/** How the connection to the IMAP server is protected: there is no clear-text mode. */
public enum ImapTls {
  /** Plain IMAP (143) upgraded with STARTTLS before anything else; a server without it is refused. */
  STARTTLS,
  /** TLS from the first byte (993). */
  IMPLICIT
}
