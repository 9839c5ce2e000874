package io.postroom.contract;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The fields a job and a bulk job share, read the same way for both: tenant, from, replyTo,
 * priority, notBefore and expiresAt. Each method records what is wrong in the {@link Reading} and
 * returns null for an unusable value.
 */
public final class JobFields {
  /** A job's id, and so a bulk recipient's {@code <bulk id>/<key>}, is 1 to this many characters. */
  public static final int MAX_ID = 200;
  /** Tenants, streams and template names: they name lanes, metrics, topics' keys and URLs. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final String INSTANT_EXAMPLE = "2026-11-22T10:00:00Z";

  private JobFields() {
  }

  /** The tenant if usable, else null: tenants name lanes and metrics, so only well-formed ones pass. */
  public static String tenant(Reading reading) {
    String tenant = reading.requiredText("tenant", "name the upstream system, e.g. \"billing\"");
    if (tenant != null && tenant.isBlank()) {
      reading.add(ErrorCode.MISSING_FIELD, "tenant", "tenant is required: name the upstream system, e.g. \"billing\"");
      return null;
    }
    return name(reading, "tenant", tenant);
  }

  /** A {@link #NAME} (tenant, stream, template name) if usable, else null; null stays null. */
  public static String name(Reading reading, String field, String value) {
    if (value != null && !NAME.matcher(value).matches()) {
      reading.add(ErrorCode.INVALID_FIELD, field,
          reading.path(field) + " " + Reading.quoted(value) + " must be 1 to 100 letters, digits, '.', '_' or '-'");
      return null;
    }
    return value;
  }

  /** A whole number from 1 (a part, a version) if usable, else null; null when absent, without a violation. */
  public static Integer wholeNumberFromOne(Reading reading, String field) {
    Object value = reading.json().getValue(field);
    if (value == null) {
      return null;
    }
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 1
        && ((Number) value).longValue() <= Integer.MAX_VALUE) {
      return ((Number) value).intValue();
    }
    reading.add(ErrorCode.INVALID_FIELD, field, reading.path(field) + " must be a whole number from 1, not "
        + (value instanceof Number ? value : Reading.typeOf(value)));
    return null;
  }

  public static Address from(Reading reading) {
    return AddressFields.one(reading, "from",
        reading.requiredText("from", "give the sender's address, e.g. \"Billing <noreply@example.org>\""));
  }

  /** The replyTo address, or null when there is none or it is unusable. */
  public static Address replyTo(Reading reading) {
    String replyTo = reading.optionalText("replyTo");
    return replyTo == null ? null : AddressFields.one(reading, "replyTo", replyTo);
  }

  /** One address in a string field, such as a bulk recipient's {@code to}. */
  public static Address address(Reading reading, String field, String value) {
    return AddressFields.one(reading, field, value);
  }

  /** Required but may be empty: an empty subject is unusual, not wrong. One line. */
  public static String subject(Reading reading) {
    if (reading.json().getValue("subject") == null) {
      reading.add(ErrorCode.MISSING_FIELD, "subject", reading.path("subject") + " is required (an empty string is allowed)");
      return null;
    }
    String subject = reading.optionalText("subject");
    return subject != null && reading.lineBreakFree("subject", subject) ? subject : null;
  }

  /** The priority, or {@code byDefault} when the field is absent. */
  public static Priority priority(Reading reading, Priority byDefault) {
    String value = reading.optionalText("priority");
    if (value == null) {
      return byDefault;
    }
    try {
      return Priority.fromJson(value);
    } catch (IllegalArgumentException e) {
      reading.add(ErrorCode.INVALID_FIELD, "priority", "priority " + e.getMessage());
      return null;
    }
  }

  public static Instant instant(Reading reading, String field) {
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

  /** Records a window that can never open: expiresAt before notBefore. */
  public static void window(Reading reading, Instant notBefore, Instant expiresAt) {
    if (notBefore != null && expiresAt != null && expiresAt.isBefore(notBefore)) {
      reading.add(ErrorCode.INVALID_FIELD, "expiresAt", "expiresAt " + expiresAt + " is before notBefore " + notBefore
          + ", so the job could never be sent");
    }
  }

  /** Whether an id may be used as a job id (and so as a Kafka key and in status events). */
  public static boolean hasControlCharacters(String id) {
    return id.chars().anyMatch(Character::isISOControl);
  }
}
