package io.postroom.dispatcher.relay;

import java.util.regex.Pattern;

/**
 * Why one send did not go through, as {@link FailureClassifier} reads it.
 *
 * @param kind what happens next: see {@link Kind}
 * @param smtpCode the relay's reply code, when there was one
 * @param enhancedCode the RFC 3463 code of the reply ("5.1.1"), when it gave one
 * @param reply the relay's reply text, as it sent it
 * @param reason a sentence a person can act on, naming the relay
 */
public record SendFailure(Kind kind, Integer smtpCode, String enhancedCode, String reply, String reason) {
  private static final Pattern TOO_MANY = Pattern.compile("too many|too fast|rate limit", Pattern.CASE_INSENSITIVE);

  /** The relay is asking us to send more slowly: 421, 450, 451, 452, or a reply saying "too many". */
  public boolean asksToSlowDown() {
    return smtpCode != null && (smtpCode == 421 || smtpCode == 450 || smtpCode == 451 || smtpCode == 452)
        || reply != null && TOO_MANY.matcher(reply).find();
  }

  /** The three failure classes; docs/failures.md explains them. */
  public enum Kind {
    /** The relay refused this message for good (5xx to MAIL, RCPT, DATA or the final dot): FAILED. */
    PERMANENT,
    /** The relay refused this message for now (4xx): the job is tried again, using an attempt. */
    TRANSIENT,
    /** Not the message's fault (connection, TLS, STARTTLS, AUTH, greeting, 421, timeout): no attempt used. */
    RELAY
  }
}
