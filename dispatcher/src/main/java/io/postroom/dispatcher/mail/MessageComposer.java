package io.postroom.dispatcher.mail;

import io.postroom.contract.Address;
import io.postroom.contract.Attachment;
import io.postroom.contract.Job;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A valid job as the mail client's {@link MailMessage}: envelope and headers from the job's fields,
 * the Message-ID set explicitly (the client would make up a new one per attempt), bodies with
 * canonical line endings, extra headers after Postroom's own. Bcc recipients are in the envelope
 * only: the client writes no Bcc header.
 */
public final class MessageComposer {
  /** Recipients per SMTP transaction: the number RFC 5321 (4.5.3.1.8) obliges every relay to take. */
  public static final int MAX_RECIPIENTS = 100;

  private MessageComposer() {
  }

  /**
   * The SMTP transactions of a job: one, or for more than {@link #MAX_RECIPIENTS} recipients one
   * per hundred. Every transaction carries the same message (headers naming all To and Cc
   * recipients, the same Message-ID); only its envelope recipients differ.
   */
  public static List<MailMessage> transactions(Job job, String messageId) {
    return transactions(job, messageId, Set.of());
  }

  /**
   * The same, leaving out of every envelope the recipients in {@code leftOut} (lower-cased
   * addresses: the suppressed ones). The headers still name every To and Cc recipient, and the
   * shares are cut as if nobody were left out, so a retry resumes at the same share whatever was
   * suppressed meanwhile; a share whose recipients are all left out has an empty envelope.
   */
  public static List<MailMessage> transactions(Job job, String messageId, Set<String> leftOut) {
    List<Address> recipients = job.recipients();
    if (recipients.size() <= MAX_RECIPIENTS && recipients.stream().noneMatch(r -> isLeftOut(r, leftOut))) {
      return List.of(compose(job, messageId));
    }
    List<MailMessage> transactions = new ArrayList<>();
    for (int from = 0; from < recipients.size(); from += MAX_RECIPIENTS) {
      List<Address> envelope = recipients.subList(from, Math.min(recipients.size(), from + MAX_RECIPIENTS)).stream()
          .filter(r -> !isLeftOut(r, leftOut)).toList();
      MailMessage message = compose(job, messageId).setTo((List<String>) null).setCc((List<String>) null)
          .setBcc(emails(envelope));
      // the client writes To and Cc headers only from the envelope lists, which now hold one share
      addressHeader(message.getHeaders(), "To", job.to());
      addressHeader(message.getHeaders(), "Cc", job.cc());
      transactions.add(message);
    }
    return transactions;
  }

  /** Whether the recipient is one of those left out (compared lower-cased). */
  public static boolean isLeftOut(Address recipient, Set<String> leftOut) {
    return !leftOut.isEmpty() && leftOut.contains(recipient.email().toLowerCase(Locale.ROOT));
  }

  private static void addressHeader(MultiMap headers, String name, List<Address> addresses) {
    if (!addresses.isEmpty()) {
      // folded after every address: a hundred of them would exceed a line's 998 characters
      headers.set(name, String.join(",\r\n ", addresses.stream().map(HeaderText::address).toList()));
    }
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
