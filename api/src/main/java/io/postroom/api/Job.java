package io.postroom.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A notification job as the contract describes it (value on {@code mail.jobs}, body of
 * {@code POST /v1/jobs}), after validation: every value here is usable. Build one with
 * {@link JobValidator}.
 */
public record Job(
    String id,
    String tenant,
    Address from,
    Address replyTo,
    List<Address> to,
    List<Address> cc,
    List<Address> bcc,
    String subject,
    String text,
    String html,
    Map<String, String> headers,
    List<Attachment> attachments,
    Priority priority,
    Instant notBefore,
    Instant expiresAt) {

  private static final int MIME_OVERHEAD = 1_024;
  private static final int PART_OVERHEAD = 256;

  public Job {
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    attachments = List.copyOf(attachments);
    priority = priority == null ? Priority.NORMAL : priority;
  }

  /** to, then cc, then bcc. */
  public List<Address> recipients() {
    List<Address> all = new ArrayList<>(to.size() + cc.size() + bcc.size());
    all.addAll(to);
    all.addAll(cc);
    all.addAll(bcc);
    return all;
  }

  /**
   * The size in bytes of the MIME message the relay will receive, estimated on the high side:
   * bodies as quoted-printable (3 bytes for each non-ASCII byte, soft line breaks), attachments as
   * base64 with line breaks, plus headers and part boundaries.
   */
  public long estimatedSize() {
    long size = MIME_OVERHEAD + subject.getBytes(StandardCharsets.UTF_8).length * 3L;
    for (Address a : recipients()) {
      size += a.toString().length() * 3L + 4;
    }
    for (Map.Entry<String, String> h : headers.entrySet()) {
      size += h.getKey().length() + h.getValue().getBytes(StandardCharsets.UTF_8).length * 3L + 4;
    }
    size += quotedPrintableSize(text) + quotedPrintableSize(html);
    for (Attachment a : attachments) {
      long base64 = 4L * ((a.data().length + 2) / 3);
      size += PART_OVERHEAD + a.filename().length() * 3L + base64 + 2 * (base64 / 76 + 1);
    }
    return size;
  }

  private static long quotedPrintableSize(String body) {
    if (body == null) {
      return 0;
    }
    long encoded = PART_OVERHEAD;
    for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
      encoded += (b >= 32 && b < 127) || b == '\n' ? 1 : 3;
    }
    return encoded + 3 * (encoded / 76 + 1);
  }

  /** The contract's JSON: attachments in base64, priority in lower case, instants in ISO-8601. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("tenant", tenant)
        .put("from", from.toString());
    if (replyTo != null) {
      json.put("replyTo", replyTo.toString());
    }
    json.put("to", addresses(to)).put("cc", addresses(cc)).put("bcc", addresses(bcc)).put("subject", subject);
    if (text != null) {
      json.put("text", text);
    }
    if (html != null) {
      json.put("html", html);
    }
    JsonObject headerJson = new JsonObject();
    headers.forEach(headerJson::put);
    json.put("headers", headerJson);
    JsonArray files = new JsonArray();
    for (Attachment a : attachments) {
      files.add(new JsonObject().put("filename", a.filename()).put("contentType", a.contentType())
          .put("data", Base64.getEncoder().encodeToString(a.data())));
    }
    json.put("attachments", files).put("priority", priority.json());
    if (notBefore != null) {
      json.put("notBefore", notBefore.toString());
    }
    if (expiresAt != null) {
      json.put("expiresAt", expiresAt.toString());
    }
    return json;
  }

  private static JsonArray addresses(List<Address> list) {
    JsonArray array = new JsonArray();
    list.forEach(a -> array.add(a.toString()));
    return array;
  }
}
