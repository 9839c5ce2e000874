package io.postroom.loadtest.baseline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.SplittableRandom;

/**
 * Message {@code i} of a benchmark run, the same for every sender: from {@value #FROM}, to
 * {@code citizen<i>@example.org}, subject {@code Load test <runId> #<i>}, the header
 * {@code X-Campaign: load-<runId>} and the Message-ID {@code <i.runId@example.gov.in>}, set
 * explicitly so that each client writes exactly this one. Up to {@value #TEXT_ONLY_LIMIT} bytes
 * the message is a text/plain body of exactly {@code size} bytes (as {@code bin/postroom load}
 * makes it); above, a text of {@value #LARGE_TEXT} bytes and one attachment of the rest, random
 * bytes (so that neither Kafka's lz4 nor anything else compresses them away), base64 in the job.
 */
public record BenchMessage(String runId, int i, int size) {
  public static final String FROM = "Notifications <noreply@example.gov.in>";
  public static final String FROM_ADDRESS = "noreply@example.gov.in";
  public static final int TEXT_ONLY_LIMIT = 16 * 1024;
  public static final int LARGE_TEXT = 1024;
  static final String ATTACHMENT_NAME = "statement.pdf";
  static final String ATTACHMENT_TYPE = "application/pdf";
  private static volatile byte[] randomBytes = new byte[0];

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

  /** The id of the job carrying this message, {@code runId-i}, as the bench's status tally expects. */
  public String jobId() {
    return runId + "-" + i;
  }

  public boolean hasAttachment() {
    return size > TEXT_ONLY_LIMIT;
  }

  /** The body as the job carries it: CRLF line ends, ASCII, exactly {@code size} (or {@value #LARGE_TEXT}) bytes. */
  public String text() {
    int length = hasAttachment() ? LARGE_TEXT : size;
    String line = "Dear citizen, this is load test message " + i + ".\r\n";
    return line.repeat(length / line.length() + 1).substring(0, length);
  }

  /**
   * The attachment's bytes, empty when there is none: the same random bytes for every message of a
   * size, made once per JVM so that making them costs no sender anything in its measured window.
   */
  public byte[] attachment() {
    if (!hasAttachment()) {
      return new byte[0];
    }
    int length = size - LARGE_TEXT;
    byte[] bytes = randomBytes;
    if (bytes.length < length) {
      bytes = new byte[length];
      new SplittableRandom(42).nextBytes(bytes);
      randomBytes = bytes;
    }
    return bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
  }

  /**
   * The job {@code bin/postroom bench} publishes for this message (see DESIGN.md): the fields and
   * priorities of {@code bin/postroom load}'s jobs, plus the attachment in base64 when there is one.
   */
  public JsonObject job(int tenants) {
    String priority = i % 20 == 0 ? "high" : i % 4 == 1 ? "bulk" : "normal";
    JsonObject job = new JsonObject()
        .put("id", jobId())
        .put("tenant", "tenant-" + (i % tenants + 1))
        .put("from", FROM)
        .put("to", new JsonArray().add(to()))
        .put("subject", subject())
        .put("text", text())
        .put("headers", new JsonObject().put("X-Campaign", campaign()))
        .put("priority", priority);
    if (hasAttachment()) {
      job.put("attachments", new JsonArray().add(new JsonObject().put("filename", ATTACHMENT_NAME)
          .put("contentType", ATTACHMENT_TYPE).put("data", Base64.getEncoder().encodeToString(attachment()))));
    }
    return job;
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
    MailMessage message = new MailMessage()
        .setFrom(FROM)
        .setBounceAddress(FROM_ADDRESS)
        .setTo(to())
        .setSubject(subject())
        .setText(text().replace("\r\n", "\n").replace('\r', '\n'))
        .setHeaders(headers);
    if (hasAttachment()) {
      message.setAttachment(MailAttachment.create().setName(ATTACHMENT_NAME).setContentType(ATTACHMENT_TYPE)
          .setDisposition("attachment").setData(Buffer.buffer(attachment())));
    }
    return message;
  }

  /** For Jakarta Mail: saved ({@link MimeMessage#saveChanges()}), ready for {@code Transport.sendMessage}. */
  public MimeMessage mimeMessage(Session session) throws MessagingException {
    MimeMessage message = new FixedIdMessage(session, messageId());
    message.setFrom(new InternetAddress(FROM));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to()));
    message.setSubject(subject(), "UTF-8");
    message.setSentDate(new Date());
    if (hasAttachment()) {
      MimeBodyPart text = new MimeBodyPart();
      text.setText(text(), "UTF-8");
      MimeBodyPart file = new MimeBodyPart();
      file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment(), ATTACHMENT_TYPE)));
      file.setFileName(ATTACHMENT_NAME);
      file.setDisposition(MimeBodyPart.ATTACHMENT);
      message.setContent(new MimeMultipart(text, file));
    } else {
      message.setText(text(), "UTF-8");
    }
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
