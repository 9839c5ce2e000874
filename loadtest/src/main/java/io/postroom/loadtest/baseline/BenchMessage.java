package io.postroom.loadtest.baseline;

import io.vertx.core.MultiMap;
import io.vertx.ext.mail.MailMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;

/**
 * Message {@code i} of a benchmark run, as the dispatcher sends it for the benchmark's job
 * {@code i} (see {@code bin/postroom load}): from {@value #FROM}, to {@code citizen<i>@example.org},
 * subject {@code Load test <runId> #<i>}, a text/plain body of exactly {@code size} bytes, the
 * header {@code X-Campaign: load-<runId>} and the Message-ID {@code <i.runId@example.gov.in>}, set
 * explicitly so that each client writes exactly this one.
 */
public record BenchMessage(String runId, int i, int size) {
  public static final String FROM = "Notifications <noreply@example.gov.in>";
  public static final String FROM_ADDRESS = "noreply@example.gov.in";

  public String to() {
    return "citizen" + i + "@example.org";
  }

  public String subject() {
    return "Load test " + runId + " #" + i;
  }

  public String campaign() {
    return "load-" + runId;
  }

  public String messageId() {
    return "<" + i + "." + runId + "@example.gov.in>";
  }

  /** The body as the job carries it: CRLF line ends, ASCII, exactly {@code size} bytes. */
  public String text() {
    String line = "Dear citizen, this is load test message " + i + ".\r\n";
    return line.repeat(size / line.length() + 1).substring(0, size);
  }

  /**
   * For vertx-mail-client, built as the dispatcher's {@code MessageComposer} builds it: line ends as
   * {@code \n} (the client writes CRLF), the Message-ID and then the job's headers in
   * {@link MailMessage#setHeaders}, which replace the ones the client would make up.
   */
  public MailMessage mailMessage() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set("Message-ID", messageId());
    headers.add("X-Campaign", campaign());
    return new MailMessage()
        .setFrom(FROM)
        .setBounceAddress(FROM_ADDRESS)
        .setTo(to())
        .setSubject(subject())
        .setText(text().replace("\r\n", "\n").replace('\r', '\n'))
        .setHeaders(headers);
  }

  /** For Jakarta Mail: saved ({@link MimeMessage#saveChanges()}), ready for {@code Transport.sendMessage}. */
  public MimeMessage mimeMessage(Session session) throws MessagingException {
    MimeMessage message = new FixedIdMessage(session, messageId());
    message.setFrom(new InternetAddress(FROM));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to()));
    message.setSubject(subject(), "UTF-8");
    message.setSentDate(new Date());
    message.setText(text(), "UTF-8");
    message.setHeader("X-Campaign", campaign());
    message.saveChanges();
    return message;
  }

  /** A MimeMessage whose {@link #saveChanges()} writes the given Message-ID, not a made-up one. */
  private static final class FixedIdMessage extends MimeMessage {
    private final String messageId;

    FixedIdMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
