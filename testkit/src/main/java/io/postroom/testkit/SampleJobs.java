package io.postroom.testkit;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.JobJsonBuilder;
import io.postroom.contract.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Jobs as upstream systems would publish them: valid ones, and one of each kind of bad input. */
public final class SampleJobs {

  private SampleJobs() {
  }

  /** A small, valid notification (about 1 KB on the wire). */
  public static JsonObject valid(String id, String tenant, String recipient) {
    return new JobJsonBuilder()
        .id(id)
        .tenant(tenant)
        .from("Billing <noreply@example.gov.in>")
        .replyTo("help@example.gov.in")
        .to(recipient)
        .subject("Your receipt " + id)
        .text("Dear citizen,\r\nyour payment was received.\nReference: " + id + "\rRegards\n")
        .html("<p>Dear citizen,</p><p>your payment was received. Reference: <b>" + id + "</b></p>")
        .header("X-Campaign", "receipts")
        .priority(Priority.NORMAL)
        .toJson();
  }

  public static byte[] bytes(JsonObject job) {
    return job.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** A job the dispatcher must reject, and the code it must give. */
  public record Invalid(String what, String id, byte[] bytes, ErrorCode code) {
  }

  /**
   * One job for each validation error. {@code maxMessageBytes} is the relay limit the dispatcher
   * is configured with; the oversize job is built just above it.
   */
  public static List<Invalid> invalid(String prefix, String recipient, long maxMessageBytes) {
    JsonObject missingSubject = valid(prefix + "-missing-subject", "billing", recipient);
    missingSubject.remove("subject");
    JsonObject badAddress = valid(prefix + "-bad-address", "billing", recipient)
        .put("to", new JsonArray().add("citizen@"));
    JsonObject injection = valid(prefix + "-header-injection", "billing", recipient)
        .put("subject", "Receipt\r\nBcc: everyone@example.org");
    JsonObject headerInjection = valid(prefix + "-header-value-injection", "billing", recipient)
        .put("headers", new JsonObject().put("X-Campaign", "q4\nBcc: everyone@example.org"));
    JsonObject badAttachment = valid(prefix + "-bad-attachment", "billing", recipient)
        .put("attachments", new JsonArray().add(new JsonObject()
            .put("filename", "r.pdf").put("contentType", "application/pdf").put("data", "%%% not base64 %%%")));
    byte[] big = new byte[(int) Math.min(Integer.MAX_VALUE - 16, maxMessageBytes + 1024)];
    JsonObject tooLarge = valid(prefix + "-too-large", "billing", recipient)
        .put("attachments", new JsonArray().add(new JsonObject()
            .put("filename", "big.bin").put("contentType", "application/octet-stream")
            .put("data", Base64.getEncoder().encodeToString(big))));
    return List.of(
        new Invalid("malformed JSON", null,
            ("{\"id\": \"" + prefix + "-malformed\", \"tenant\": ").getBytes(StandardCharsets.UTF_8), ErrorCode.INVALID_JSON),
        new Invalid("missing subject", prefix + "-missing-subject", bytes(missingSubject), ErrorCode.MISSING_FIELD),
        new Invalid("bad address", prefix + "-bad-address", bytes(badAddress), ErrorCode.BAD_ADDRESS),
        new Invalid("CR/LF in the subject", prefix + "-header-injection", bytes(injection), ErrorCode.HEADER_INJECTION),
        new Invalid("LF in a header value", prefix + "-header-value-injection", bytes(headerInjection),
            ErrorCode.HEADER_INJECTION),
        new Invalid("attachment not base64", prefix + "-bad-attachment", bytes(badAttachment), ErrorCode.BAD_ATTACHMENT),
        new Invalid("message above the relay's SIZE limit", prefix + "-too-large", bytes(tooLarge), ErrorCode.TOO_LARGE));
  }
}
