package io.postroom.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JobValidatorTest {
  private final JobValidator validator = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);

  private static JsonObject minimal() {
    return new JsonObject()
        .put("id", "order-4711-confirmation")
        .put("tenant", "billing")
        .put("from", "noreply@example.gov.in")
        .put("to", new JsonArray().add("a@example.org"))
        .put("subject", "Your receipt")
        .put("text", "plain body");
  }

  private static JsonObject full() {
    return minimal()
        .put("from", "Billing <noreply@example.gov.in>")
        .put("replyTo", "help@example.gov.in")
        .put("cc", new JsonArray().add("\"Doe, Jane\" <jane@example.org>"))
        .put("bcc", new JsonArray().add("audit@example.gov.in"))
        .put("html", "<p>html body</p>")
        .put("headers", new JsonObject().put("X-Campaign", "q4"))
        .put("attachments", new JsonArray().add(new JsonObject().put("filename", "r.pdf")
            .put("contentType", "application/pdf")
            .put("data", Base64.getEncoder().encodeToString("%PDF-1.4".getBytes(StandardCharsets.US_ASCII)))))
        .put("priority", "high")
        .put("notBefore", "2026-11-22T10:00:00Z")
        .put("expiresAt", "2026-11-23T10:00:00Z");
  }

  private Validation validate(JsonObject json) {
    return validator.validate(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void minimalJobIsValidWithNormalPriority() {
    Validation v = validate(minimal());

    assertThat(v.valid()).isTrue();
    assertThat(v.job().priority()).isEqualTo(Priority.NORMAL);
    assertThat(v.job().recipients()).extracting(Address::email).containsExactly("a@example.org");
  }

  @Test
  void fullJobSurvivesARoundTripThroughJson() {
    Job job = validate(full()).job();

    Job again = validate(job.toJson()).job();

    assertThat(again).isEqualTo(job);
    assertThat(job.from().displayName()).isEqualTo("Billing");
    assertThat(job.cc().get(0).displayName()).isEqualTo("Doe, Jane");
    assertThat(job.attachments().get(0).data()).asString(StandardCharsets.US_ASCII).isEqualTo("%PDF-1.4");
    assertThat(job.priority()).isEqualTo(Priority.HIGH);
    assertThat(job.notBefore()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @Test
  void unknownFieldsAreIgnored() {
    assertThat(validate(minimal().put("campaignOwner", "someone")).valid()).isTrue();
  }

  @Test
  void garbageIsInvalidJson() {
    Validation v = validator.validate("{\"id\": \"x\", ".getBytes(StandardCharsets.UTF_8));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(v.id()).isNull();
    assertThat(v.message()).contains("not valid JSON");
  }

  @Test
  void invalidUtf8IsInvalidJson() {
    Validation v = validator.validate(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(v.message()).contains("UTF-8");
  }

  @Test
  void jsonArrayIsInvalidJson() {
    assertThat(validator.validate("[1,2]".getBytes(StandardCharsets.UTF_8)).code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  void emptyRecordIsInvalidJson() {
    assertThat(validator.validate(new byte[0]).code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(validator.validate((byte[]) null).code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  void missingSubjectIsAMissingFieldAndTheIdIsStillReadable() {
    JsonObject job = minimal();
    job.remove("subject");

    Validation v = validate(job);

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(v.violations()).singleElement().extracting(Violation::field).isEqualTo("subject");
    assertThat(v.id()).isEqualTo("order-4711-confirmation");
    assertThat(v.tenant()).isEqualTo("billing");
  }

  @Test
  void noRecipientAtAllIsAMissingField() {
    Validation v = validate(minimal().put("to", new JsonArray()));

    assertThat(v.code()).isEqualTo(ErrorCode.MISSING_FIELD);
    assertThat(v.message()).contains("no recipient");
  }

  @Test
  void noBodyIsAMissingField() {
    JsonObject job = minimal();
    job.remove("text");

    assertThat(validate(job).code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void allViolationsAreReportedTogether() {
    JsonObject job = minimal().put("to", new JsonArray().add("bob@")).put("subject", "a\r\nBcc: x@y.org");
    job.remove("tenant");

    Validation v = validate(job);

    assertThat(v.violations()).extracting(Violation::code)
        .containsExactlyInAnyOrder(ErrorCode.MISSING_FIELD, ErrorCode.BAD_ADDRESS, ErrorCode.HEADER_INJECTION);
  }

  @Test
  void addressWithoutDomainIsBadAddressNamingTheField() {
    Validation v = validate(minimal().put("to", new JsonArray().add("a@example.org").add("bob@")));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(v.violations().get(0).field()).isEqualTo("to[1]");
    assertThat(v.message()).contains("to[1]").contains("bob@").contains("domain");
  }

  @Test
  void internationalisedAddressIsRefusedAsUnsupported() {
    Validation v = validate(minimal().put("to", new JsonArray().add("müller@example.de")));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(v.message()).contains("SMTPUTF8");
  }

  @Test
  void domainWithoutDotIsBadAddress() {
    assertThat(validate(minimal().put("from", "root@localhost")).code()).isEqualTo(ErrorCode.BAD_ADDRESS);
  }

  @Test
  void crInSubjectIsHeaderInjection() {
    assertThat(validate(minimal().put("subject", "Receipt\rBcc: all@example.org")).code())
        .isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void lfInAHeaderValueIsHeaderInjection() {
    Validation v = validate(minimal().put("headers", new JsonObject().put("X-Campaign", "q4\nBcc: all@example.org")));

    assertThat(v.code()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(v.violations().get(0).field()).isEqualTo("headers.X-Campaign");
  }

  @Test
  void lineBreakInAnAddressIsHeaderInjectionNotBadAddress() {
    assertThat(validate(minimal().put("from", "a@example.org\r\nRCPT TO:<x@y.org>")).code())
        .isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void headersPostroomSetsCannotBeOverridden() {
    Validation v = validate(minimal().put("headers", new JsonObject().put("Message-ID", "<mine@example.org>")));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.message()).contains("Message-ID");
  }

  @Test
  void attachmentThatIsNotBase64IsBadAttachment() {
    Validation v = validate(minimal().put("attachments", new JsonArray().add(new JsonObject()
        .put("filename", "r.pdf").put("contentType", "application/pdf").put("data", "%%% not base64 %%%"))));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
    assertThat(v.violations().get(0).field()).isEqualTo("attachments[0].data");
  }

  @Test
  void base64WithMimeLineBreaksIsAccepted() {
    String encoded = Base64.getMimeEncoder().encodeToString(new byte[300]);

    Validation v = validate(minimal().put("attachments", new JsonArray().add(new JsonObject()
        .put("filename", "zeros.bin").put("contentType", "application/octet-stream").put("data", encoded))));

    assertThat(encoded).contains("\r\n");
    assertThat(v.valid()).isTrue();
    assertThat(v.job().attachments().get(0).data()).hasSize(300);
  }

  @Test
  void messageAboveTheRelayLimitIsTooLarge() {
    JobValidator small = new JobValidator(10_000);

    Validation v = small.validate(minimal().put("attachments", new JsonArray().add(new JsonObject()
        .put("filename", "big.bin").put("contentType", "application/octet-stream")
        .put("data", Base64.getEncoder().encodeToString(new byte[20_000])))));

    assertThat(v.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(v.message()).contains("MB").contains("limit");
    assertThat(v.id()).isEqualTo("order-4711-confirmation");
  }

  @Test
  void unknownPriorityIsInvalidField() {
    Validation v = validate(minimal().put("priority", "urgent"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.message()).contains("high, normal, bulk");
  }

  @Test
  void notBeforeThatIsNotATimeIsInvalidField() {
    assertThat(validate(minimal().put("notBefore", "tomorrow")).code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void expiryBeforeNotBeforeIsInvalidField() {
    Validation v = validate(minimal().put("notBefore", "2026-11-23T10:00:00Z").put("expiresAt", "2026-11-22T10:00:00Z"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void wrongTypeIsInvalidField() {
    Validation v = validate(minimal().put("to", "a@example.org"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("to");
  }

  @Test
  void idLongerThan200CharactersIsInvalidAndNotReported() {
    Validation v = validate(minimal().put("id", "x".repeat(201)));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.id()).isNull();
  }
}
