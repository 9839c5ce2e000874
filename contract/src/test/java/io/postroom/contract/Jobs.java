package io.postroom.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Job JSON for the tests of every module: the smallest valid job, one with every field, and the
 * validator to read them.
 */
public final class Jobs {
  public static final JobValidator VALIDATOR = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);

  private Jobs() {
  }

  public static JsonObject minimal() {
    return new JsonObject()
        .put("id", "order-4711-confirmation")
        .put("tenant", "billing")
        .put("from", "noreply@example.gov.in")
        .put("to", new JsonArray().add("a@example.org"))
        .put("subject", "Your receipt")
        .put("text", "plain body");
  }

  public static JsonObject full() {
    return minimal()
        .put("from", "Billing <noreply@example.gov.in>")
        .put("replyTo", "help@example.gov.in")
        .put("to", new JsonArray().add("a@example.org").add("Bob <bob@example.org>"))
        .put("cc", new JsonArray().add("\"Doe, Jane\" <jane@example.org>"))
        .put("bcc", new JsonArray().add("audit@example.gov.in"))
        .put("html", "<p>html body</p>")
        .put("headers", new JsonObject().put("X-Campaign", "q4").put("List-Unsubscribe", "<mailto:u@example.org>"))
        .put("attachments", new JsonArray().add(attachment("r.pdf", base64("%PDF-1.4"))))
        .put("priority", "high")
        .put("notBefore", "2026-11-22T10:00:00Z")
        .put("expiresAt", "2026-11-23T10:00:00Z");
  }

  public static JsonObject attachment(String filename, String data) {
    return new JsonObject().put("filename", filename).put("contentType", "application/pdf").put("data", data);
  }

  public static String base64(String content) {
    return Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
  }

  /** Through the bytes, as the dispatcher reads a record. */
  public static Validation validate(JsonObject json) {
    return VALIDATOR.validate(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static Validation validate(String json) {
    return VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The job, or a failed test naming what the validator refused. */
  public static Job job(JsonObject json) {
    Validation validation = validate(json);
    if (!validation.valid()) {
      throw new AssertionError("test job is invalid: " + validation.message());
    }
    return validation.job();
  }
}
