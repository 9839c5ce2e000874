package io.postroom.bounces.report;

import java.util.List;

/**
 * A message of the bounce mailbox as the reader understood it.
 *
 * <p>{@code envelopeAddresses}: the addresses the report was delivered to or names as the
 * original sender, in the order they are trusted to carry the VERP address: {@code Delivered-To}
 * (written by the receiving server, Dovecot's LMTP), {@code X-Original-To}, the DSN's
 * {@code X-Postfix-Sender}, the ARF's {@code Original-Mail-From}.
 */
public sealed interface Report {
  /** The report's own Message-ID (or a digest of it when it has none): remembered once it is processed. */
  String reportId();

  /** A delivery status notification (RFC 3464) with the recipients it is about (delivered ones left out). */
  record DeliveryReport(String reportId, List<String> envelopeAddresses, List<Recipient> recipients)
      implements Report {
  }

  /**
   * A feedback-loop complaint (RFC 5965).
   *
   * @param originalMessageId the Message-ID of the mail complained about, from the report's third part
   * @param recipient who complained: {@code Original-Rcpt-To}, else the original {@code To}; null if neither
   */
  record Complaint(String reportId, List<String> envelopeAddresses, String feedbackType, String originalMessageId,
      String recipient) implements Report {
  }

  /** A mail to the unsubscribe mailbox whose subject is {@code unsubscribe <token>}. */
  record Unsubscribe(String reportId, String token) implements Report {
  }

  /** Anything else: moved aside with {@code why}. */
  record Unreadable(String reportId, String why) implements Report {
  }
}
