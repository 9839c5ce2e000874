package io.postroom.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's JSON as an upstream system writes it (DESIGN.md, "Job"), built field by field: for the
 * tests, the sample jobs, the load generator and the Gatling simulations, so that all of them send
 * the one shape. Fields come out in the contract's order; a field never set is left out. It builds
 * what it is told, valid or not: {@link JobValidator} judges.
 */
public final class JobJsonBuilder {
  private String id;
  private String tenant;
  private String from;
  private String replyTo;
  private final JsonArray to = new JsonArray();
  private final JsonArray cc = new JsonArray();
  private final JsonArray bcc = new JsonArray();
  private String subject;
  private String text;
  private String html;
  private final Map<String, Object> headers = new LinkedHashMap<>();
  private final JsonArray attachments = new JsonArray();
  private String priority;
  private String notBefore;
  private String expiresAt;

  public JobJsonBuilder id(String id) {
    this.id = id;
    return this;
  }

  public JobJsonBuilder tenant(String tenant) {
    this.tenant = tenant;
    return this;
  }

  /** An address, with or without a display name ({@code Billing <noreply@example.gov.in>}). */
  public JobJsonBuilder from(String from) {
    this.from = from;
    return this;
  }

  public JobJsonBuilder replyTo(String replyTo) {
    this.replyTo = replyTo;
    return this;
  }

  /** Adds recipients to {@code to}. */
  public JobJsonBuilder to(String... addresses) {
    for (String address : addresses) {
      to.add(address);
    }
    return this;
  }

  public JobJsonBuilder cc(String... addresses) {
    for (String address : addresses) {
      cc.add(address);
    }
    return this;
  }

  public JobJsonBuilder bcc(String... addresses) {
    for (String address : addresses) {
      bcc.add(address);
    }
    return this;
  }

  public JobJsonBuilder subject(String subject) {
    this.subject = subject;
    return this;
  }

  public JobJsonBuilder text(String text) {
    this.text = text;
    return this;
  }

  public JobJsonBuilder html(String html) {
    this.html = html;
    return this;
  }

  /** Adds an extra header. */
  public JobJsonBuilder header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Adds an attachment; {@code data} is its content in base64. */
  public JobJsonBuilder attachment(String filename, String contentType, String data) {
    attachments.add(new JsonObject().put("filename", filename).put("contentType", contentType).put("data", data));
    return this;
  }

  /** {@code high}, {@code normal} or {@code bulk} (any text: invalid ones are for tests). */
  public JobJsonBuilder priority(String priority) {
    this.priority = priority;
    return this;
  }

  public JobJsonBuilder priority(Priority priority) {
    return priority(priority.json());
  }

  /** ISO-8601, e.g. {@code 2026-11-22T10:00:00Z}. */
  public JobJsonBuilder notBefore(String instant) {
    this.notBefore = instant;
    return this;
  }

  public JobJsonBuilder expiresAt(String instant) {
    this.expiresAt = instant;
    return this;
  }

  /** A new object each call: change it freely (tests remove or break fields of a valid job). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    put(json, "id", id);
    put(json, "tenant", tenant);
    put(json, "from", from);
    put(json, "replyTo", replyTo);
    put(json, "to", to);
    put(json, "cc", cc);
    put(json, "bcc", bcc);
    put(json, "subject", subject);
    put(json, "text", text);
    put(json, "html", html);
    if (!headers.isEmpty()) {
      json.put("headers", new JsonObject(new LinkedHashMap<>(headers)));
    }
    put(json, "attachments", attachments);
    put(json, "priority", priority);
    put(json, "notBefore", notBefore);
    put(json, "expiresAt", expiresAt);
    return json;
  }

  public String encode() {
    return toJson().encode();
  }

  /** UTF-8, as a record value on {@code mail.jobs}. */
  public byte[] bytes() {
    return encode().getBytes(StandardCharsets.UTF_8);
  }

  private static void put(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static void put(JsonObject json, String field, JsonArray values) {
    if (!values.isEmpty()) {
      json.put(field, values.copy());
    }
  }
}
