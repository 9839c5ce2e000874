package io.postroom.dispatcher.mail;

import io.postroom.api.Address;
import io.postroom.api.Attachment;
import io.postroom.api.Job;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import java.util.List;

/**
 * A valid job as the mail client's {@link MailMessage}: envelope and headers from the job's fields,
 * the Message-ID set explicitly (the client would make up a new one per attempt), bodies with
 * canonical line endings, extra headers after Postroom's own. Bcc recipients are in the envelope
 * only: the client writes no Bcc header.
 */
public final class MessageComposer {
  private MessageComposer() {
  }

  public static MailMessage compose(Job job, String messageId) {
    MailMessage message = new MailMessage()
        .setFrom(job.from().toString())
        .setBounceAddress(job.from().email())
        .setTo(emails(job.to()))
        .setCc(emails(job.cc()))
        .setBcc(emails(job.bcc()))
        .setSubject(job.subject())
        .setText(LineEndings.canonical(job.text()))
        .setHtml(LineEndings.canonical(job.html()));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set("Message-ID", messageId);
    if (job.replyTo() != null) {
      headers.set("Reply-To", HeaderText.address(job.replyTo()));
    }
    job.headers().forEach((name, value) -> headers.add(name, HeaderText.encode(value)));
    message.setHeaders(headers);
    if (!job.attachments().isEmpty()) {
      message.setAttachment(job.attachments().stream().map(MessageComposer::attachment).toList());
    }
    return message;
  }

  private static MailAttachment attachment(Attachment file) {
    return MailAttachment.create()
        .setName(file.filename())
        .setContentType(file.contentType())
        .setDisposition("attachment")
        .setData(Buffer.buffer(file.data()));
  }

  /** Addresses as written in the job (the client takes the envelope address out); null for none. */
  private static List<String> emails(List<Address> addresses) {
    return addresses.isEmpty() ? null : addresses.stream().map(Address::toString).toList();
  }
}
