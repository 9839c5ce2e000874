package io.postroom.contract;

import io.postroom.contract.template.TemplateRef;
import io.postroom.contract.template.TemplateVars;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mail job as the contract describes it (value on {@code mail.jobs}, body of {@code POST /v1/jobs}),
 * after validation: every value here is usable. Read one with {@link JobValidator}.
 *
 * <p>A job given with an inline template is rendered when it is read, so it has its subject, text
 * and html like any other. A job given with {@code templateRef} has none yet: it carries the
 * reference and its {@code vars} until {@link JobValidator#resolve} renders it
 * ({@link #needsTemplate()}). {@code bulkId} and {@code key} are set on a recipient's job of a
 * bulk send, whose id is {@code <bulkId>/<key>}. {@code stream} is the tenant's category of mail
 * the job belongs to (the scope of an unsubscribe and of a suppression), or null.
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
    Instant expiresAt,
    TemplateRef templateRef,
    TemplateVars vars,
    String bulkId,
    String key,
    String stream) {

  public Job {
    to = copy(to);
    cc = copy(cc);
    bcc = copy(bcc);
    attachments = copy(attachments);
    // A copy that keeps the order, because the order of extra headers is the order they are written.
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    priority = priority == null ? Priority.NORMAL : priority;
    vars = vars == null ? TemplateVars.NONE : vars;
  }

  /** A job with its subject and body, not from a bulk send. */
  public Job(String id, String tenant, Address from, Address replyTo, List<Address> to, List<Address> cc,
      List<Address> bcc, String subject, String text, String html, Map<String, String> headers,
      List<Attachment> attachments, Priority priority, Instant notBefore, Instant expiresAt) {
    this(id, tenant, from, replyTo, to, cc, bcc, subject, text, html, headers, attachments, priority, notBefore,
        expiresAt, null, null, null, null, null);
  }

  /** Whether the subject and body are still to be rendered from a registered template. */
  public boolean needsTemplate() {
    return templateRef != null;
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /**
   * Whether the mail carries the one-click unsubscribe headers: bulk-priority mail always does, and
   * any job that names its stream asks for them.
   */
  public boolean offersUnsubscribe() {
    return priority == Priority.BULK || stream != null;
  }

  /** to, then cc, then bcc: everyone the relay is asked to deliver to. */
  public List<Address> recipients() {
    List<Address> all = new ArrayList<>(to.size() + cc.size() + bcc.size());
    all.addAll(to);
    all.addAll(cc);
    all.addAll(bcc);
    return Collections.unmodifiableList(all);
  }

  /**
   * The size in bytes of the MIME message the relay will receive, estimated on the high side
   * (bodies as quoted-printable, attachments as base64 with line breaks, headers encoded, part
   * boundaries); compared with the relay's limit to refuse a job as {@link ErrorCode#TOO_LARGE}.
   */
  public long estimatedSize() {
    return MessageSize.of(this);
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
    json.put("to", addresses(to)).put("cc", addresses(cc)).put("bcc", addresses(bcc));
    if (subject != null) {
      json.put("subject", subject);
    }
    if (text != null) {
      json.put("text", text);
    }
    if (html != null) {
      json.put("html", html);
    }
    JsonObject headerJson = new JsonObject();
    headers.forEach(headerJson::put);
    json.put("headers", headerJson).put("attachments", attachmentsJson()).put("priority", priority.json());
    if (notBefore != null) {
      json.put("notBefore", notBefore.toString());
    }
    if (expiresAt != null) {
      json.put("expiresAt", expiresAt.toString());
    }
    if (templateRef != null) {
      json.put("templateRef", new JsonObject().put("name", templateRef.name()).put("version", templateRef.version()))
          .put("vars", vars.toJson());
    }
    if (bulkId != null) {
      json.put("bulkId", bulkId).put("key", key);
    }
    if (stream != null) {
      json.put("stream", stream);
    }
    return json;
  }

  private JsonArray attachmentsJson() {
    JsonArray files = new JsonArray();
    for (Attachment a : attachments) {
      files.add(new JsonObject()
          .put("filename", a.filename())
          .put("contentType", a.contentType())
          .put("data", Base64.getEncoder().encodeToString(a.data())));
    }
    return files;
  }

  private static JsonArray addresses(List<Address> list) {
    JsonArray array = new JsonArray();
    list.forEach(a -> array.add(a.toString()));
    return array;
  }
}
