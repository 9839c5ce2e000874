package io.postroom.contract;

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
    return new JobJsonBuilder()
        .id("order-4711-confirmation")
        .tenant("billing")
        .from("noreply@example.gov.in")
        .to("a@example.org")
        .subject("Your receipt")
        .text("plain body")
        .toJson();
  }

  public static JsonObject full() {
    return new JobJsonBuilder()
        .id("order-4711-confirmation")
        .tenant("billing")
        .from("Billing <noreply@example.gov.in>")
        .replyTo("help@example.gov.in")
        .to("a@example.org", "Bob <bob@example.org>")
        .cc("\"Doe, Jane\" <jane@example.org>")
        .bcc("audit@example.gov.in")
        .subject("Your receipt")
        .text("plain body")
        .html("<p>html body</p>")
        .header("X-Campaign", "q4")
        .header("List-Unsubscribe", "<mailto:u@example.org>")
        .attachment("r.pdf", "application/pdf", base64("%PDF-1.4"))
        .priority(Priority.HIGH)
        .notBefore("2026-11-22T10:00:00Z")
        .expiresAt("2026-11-23T10:00:00Z")
        .toJson();
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
