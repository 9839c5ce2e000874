package io.postroom.dispatcher.mail;

import io.postroom.api.Job;
import io.postroom.api.JobValidator;
import io.postroom.api.Validation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Jobs for the mail tests, made by the real validator so that every value is one a job can hold. */
final class ValidJobs {
  private static final JobValidator VALIDATOR = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);

  private ValidJobs() {
  }

  static JsonObject minimal() {
    return new JsonObject()
        .put("id", "order-1")
        .put("tenant", "billing")
        .put("from", "Billing <noreply@example.gov.in>")
        .put("to", new JsonArray().add("a@example.org"))
        .put("subject", "Receipt")
        .put("text", "hi");
  }

  static JsonObject full() {
    return minimal()
        .put("replyTo", "help@example.gov.in")
        .put("to", new JsonArray().add("a@example.org").add("Bob <bob@example.org>"))
        .put("cc", new JsonArray().add("\"Doe, Jane\" <jane@example.org>"))
        .put("bcc", new JsonArray().add("audit@example.gov.in"))
        .put("html", "<p>hi</p>")
        .put("headers", new JsonObject().put("X-Campaign", "q4").put("List-Unsubscribe", "<mailto:u@example.org>"))
        .put("attachments", new JsonArray().add(new JsonObject()
            .put("filename", "receipt.pdf")
            .put("contentType", "application/pdf")
            .put("data", Base64.getEncoder().encodeToString("%PDF-1.4".getBytes(StandardCharsets.UTF_8)))));
  }

  /** The job, or a failed test naming what the validator refused. */
  static Job job(JsonObject json) {
    Validation validation = VALIDATOR.validate(json);
    if (!validation.valid()) {
      throw new AssertionError("test job is invalid: " + validation.message());
    }
    return validation.job();
  }
}
