package io.postroom.loadtest.baseline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A job of the jobs topic (DESIGN.md's format, the fields the bench's jobs use) as the Kafka ceiling
 * sends it: from, to, subject, text, extra headers and attachments, a Message-ID made from the job
 * id. No validation, lanes or templates: what any Kafka-to-SMTP bridge has to do at the least.
 */
final class JobMail {
  private JobMail() {
  }

  static String messageId(String jobId) {
    return "<" + jobId + "@ceiling.example.gov.in>";
  }

  static MailMessage of(JsonObject job) {
    String from = job.getString("from");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set("Message-ID", messageId(job.getString("id")));
    job.getJsonObject("headers", new JsonObject()).forEach(header -> headers.add(header.getKey(),
        String.valueOf(header.getValue())));
    MailMessage message = new MailMessage()
        .setFrom(from)
        .setBounceAddress(address(from))
        .setTo(strings(job.getJsonArray("to")))
        .setSubject(job.getString("subject"))
        .setText(job.getString("text", "").replace("\r\n", "\n").replace('\r', '\n'))
        .setHeaders(headers);
    JsonArray attachments = job.getJsonArray("attachments");
    if (attachments != null && !attachments.isEmpty()) {
      List<MailAttachment> files = new ArrayList<>();
      for (int i = 0; i < attachments.size(); i++) {
        JsonObject file = attachments.getJsonObject(i);
        files.add(MailAttachment.create().setName(file.getString("filename"))
            .setContentType(file.getString("contentType")).setDisposition("attachment")
            .setData(Buffer.buffer(Base64.getDecoder().decode(file.getString("data")))));
      }
      message.setAttachment(files);
    }
    return message;
  }

  /** The address of {@code Name <address>}, or the whole text when it has no angle brackets. */
  static String address(String from) {
    int open = from.lastIndexOf('<');
    int close = from.lastIndexOf('>');
    return open >= 0 && close > open ? from.substring(open + 1, close) : from.trim();
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(value -> values.add(String.valueOf(value)));
    }
    return values;
  }
}
