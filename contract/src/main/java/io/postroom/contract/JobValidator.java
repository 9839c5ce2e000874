package io.postroom.contract;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a job against the contract and builds the {@link Job}: the one validation for every entry
 * point, the dispatcher and the HTTP api. Every fault is reported, not just the first, each with a
 * stable {@link ErrorCode}, the field's JSON path and a sentence a person can act on.
 */
public final class JobValidator {
  /** 35 MB: the usual relay limit (Postfix's message_size_limit, Exchange Online) for the whole MIME message. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 36_700_160L;
  private static final int MAX_ID = 200;
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final String INSTANT_EXAMPLE = "2026-11-22T10:00:00Z";

  private final long maxMessageBytes;

  public JobValidator(long maxMessageBytes) {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("the message size limit must be positive, got " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Validates a record as it arrives from Kafka or HTTP; never throws. */
  public Validation validate(byte[] utf8Json) {
    if (utf8Json == null || utf8Json.length == 0) {
      return invalidJson("the job is empty: expected a JSON object such as {\"id\": ..., \"tenant\": ..., ...}");
    }
    String text;
    try {
      // The strict decoder, because new String(...) would silently replace bad bytes with U+FFFD.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8Json)).toString();
    } catch (CharacterCodingException e) {
      return invalidJson("the job is not valid UTF-8: encode the JSON as UTF-8");
    }
    Object parsed;
    try {
      parsed = JsonText.parse(text);
    } catch (DecodeException e) {
      return invalidJson("the job is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject json)) {
      return invalidJson("the job is JSON but not an object: expected {\"id\": ..., \"tenant\": ..., ...}");
    }
    return validate(json);
  }

  public Validation validate(JsonObject json) {
    if (json == null) {
      return invalidJson("the job is null: expected a JSON object");
    }
    Reading reading = new Reading(json);
    String id = id(reading);
    String tenant = tenant(reading);
    Address from = AddressFields.one(reading, "from",
        reading.requiredText("from", "give the sender's address, e.g. \"Billing <noreply@example.org>\""));
    String replyToText = reading.optionalText("replyTo");
    Address replyTo = replyToText == null ? null : AddressFields.one(reading, "replyTo", replyToText);
    List<Address> to = AddressFields.list(reading, "to");
    List<Address> cc = AddressFields.list(reading, "cc");
    List<Address> bcc = AddressFields.list(reading, "bcc");
    if (to != null && cc != null && bcc != null && to.size() + cc.size() + bcc.size() == 0
        && !reading.anyAbout("to", "cc", "bcc")) {
      reading.add(ErrorCode.MISSING_FIELD, "to", "the job has no recipient: give at least one address in to, cc or bcc");
    }
    String subject = subject(reading);
    String text = reading.optionalText("text");
    String html = reading.optionalText("html");
    if (text == null && html == null && !reading.anyAbout("text", "html")) {
      reading.add(ErrorCode.MISSING_FIELD, "text", "the job has no body: give text, html or both");
    }
    Map<String, String> headers = HeaderFields.read(reading);
    List<Attachment> attachments = AttachmentFields.read(reading);
    Priority priority = priority(reading);
    Instant notBefore = instant(reading, "notBefore");
    Instant expiresAt = instant(reading, "expiresAt");
    if (notBefore != null && expiresAt != null && expiresAt.isBefore(notBefore)) {
      reading.add(ErrorCode.INVALID_FIELD, "expiresAt", "expiresAt " + expiresAt + " is before notBefore " + notBefore
          + ", so the job could never be sent");
    }
    // Partial when there are faults; built anyway to size what could be read.
    Job job = new Job(id, tenant, from, replyTo, to, cc, bcc, subject, text, html, headers, attachments, priority,
        notBefore, expiresAt);
    tooLarge(reading, job);
    return new Validation(reading.violations().isEmpty() ? job : null, id, tenant, reading.violations());
  }

  /** The id if usable, else null: an unusable id is not echoed into status events and keys. */
  private static String id(Reading reading) {
    String id = reading.requiredText("id", "give the job a unique id of 1 to " + MAX_ID + " characters");
    if (id == null) {
      return null;
    }
    if (id.length() > MAX_ID) {
      reading.add(ErrorCode.INVALID_FIELD, "id", "id must be 1 to " + MAX_ID + " characters long, got " + id.length());
      return null;
    }
    if (id.chars().anyMatch(Character::isISOControl)) {
      reading.add(ErrorCode.INVALID_FIELD, "id", "id " + Reading.quoted(id) + " must not contain control characters");
      return null;
    }
    return id;
  }

  /** The tenant if usable, else null: tenants name lanes and metrics, so only well-formed ones pass. */
  private static String tenant(Reading reading) {
    String tenant = reading.requiredText("tenant", "name the upstream system, e.g. \"billing\"");
    if (tenant != null && tenant.isBlank()) {
      reading.add(ErrorCode.MISSING_FIELD, "tenant", "tenant is required: name the upstream system, e.g. \"billing\"");
      return null;
    }
    if (tenant != null && !TENANT.matcher(tenant).matches()) {
      reading.add(ErrorCode.INVALID_FIELD, "tenant",
          "tenant " + Reading.quoted(tenant) + " must be 1 to 100 letters, digits, '.', '_' or '-'");
      return null;
    }
    return tenant;
  }

  /** Required but may be empty: an empty subject is unusual, not wrong. */
  private static String subject(Reading reading) {
    if (reading.json().getValue("subject") == null) {
      reading.add(ErrorCode.MISSING_FIELD, "subject", "subject is required (an empty string is allowed)");
      return null;
    }
    String subject = reading.optionalText("subject");
    return subject != null && reading.lineBreakFree("subject", subject) ? subject : null;
  }

  private static Priority priority(Reading reading) {
    String value = reading.optionalText("priority");
    if (value == null) {
      return Priority.NORMAL;
    }
    try {
      return Priority.fromJson(value);
    } catch (IllegalArgumentException e) {
      reading.add(ErrorCode.INVALID_FIELD, "priority", "priority " + e.getMessage());
      return null;
    }
  }

  private static Instant instant(Reading reading, String field) {
    String value = reading.optionalText(field);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      reading.add(ErrorCode.INVALID_FIELD, field, field + " " + Reading.quoted(value)
          + " is not an ISO-8601 time with an offset, such as " + INSTANT_EXAMPLE);
      return null;
    }
  }

  /**
   * Sized even when other faults were found, from the parts that could be read, so that one
   * answer lists everything to fix.
   */
  private void tooLarge(Reading reading, Job job) {
    long size = job.estimatedSize();
    if (size > maxMessageBytes) {
      reading.add(ErrorCode.TOO_LARGE, "", "the message is about " + MessageSize.describe(size)
          + ", above the relay's limit of " + MessageSize.describe(maxMessageBytes)
          + ": send large files as links instead of attachments");
    }
  }

  private static Validation invalidJson(String message) {
    return new Validation(null, null, null, List.of(new Violation(ErrorCode.INVALID_JSON, "", message)));
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
