package io.postroom.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A message an {@link SmtpRelay} received: its envelope, the raw message (after the DATA
 * terminator is removed and dot-stuffing undone, lines ending in CRLF) and how it came.
 *
 * @param session the relay's number for the connection it came on, as in {@link SmtpRelay.Command}
 * @param queueId the id in the relay's {@code 250 2.0.0 Ok: queued as <id>} reply
 * @param from the envelope sender, without angle brackets; empty for the null sender
 * @param recipients the envelope recipients the relay accepted
 * @param data the raw message
 * @param messageId the value of the Message-ID header as written, angle brackets included; null
 *     if the message has none
 * @param tls whether the session was encrypted when the message came
 * @param user the authenticated user, null if the session did not authenticate
 * @param acknowledged false when the relay was told never to answer the final dot, or to drop the
 *     connection instead: the client could not know that the relay has the message
 */
public record ReceivedMail(
    int session,
    String queueId,
    String from,
    List<String> recipients,
    byte[] data,
    String messageId,
    boolean tls,
    String user,
    boolean acknowledged) {

  /** The raw message as UTF-8 text. */
  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** The value of the first Message-ID header in {@code message}, or null. */
  static String messageIdOf(byte[] message) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int endOfHeaders = text.indexOf("\r\n\r\n");
    String headers = endOfHeaders < 0 ? text : text.substring(0, endOfHeaders);
    for (String header : headers.replaceAll("\r\n[ \t]+", " ").split("\r\n")) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Message-ID")) {
        return header.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
