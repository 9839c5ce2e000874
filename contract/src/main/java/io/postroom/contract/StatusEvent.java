package io.postroom.contract;

import io.postroom.contract.compliance.BounceKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One lifecycle event of a job, the value on {@code mail.status}. Field names are the contract's;
 * {@code errorCode} is added beside {@code error} so that machines need not parse sentences.
 * {@code bulkId} and {@code key} are set on every event of a mail that came from a bulk send, and
 * left out of the JSON otherwise. {@code suppressedRecipients} (a SENT job's recipients left out
 * because they are suppressed) and a follow-up's {@code recipient} and {@code kind} (on BOUNCED and
 * COMPLAINED) are left out when empty.
 */
public record StatusEvent(
    String id,
    String tenant,
    State state,
    int attempt,
    String messageId,
    String relay,
    Integer smtpCode,
    String enhancedCode,
    String reply,
    List<String> rejectedRecipients,
    String error,
    ErrorCode errorCode,
    Instant at,
    String bulkId,
    String key,
    List<String> suppressedRecipients,
    FollowUp followUp) {

  /**
   * What a BOUNCED or COMPLAINED event is about: the recipient the report names and its kind. The
   * report's status code and text are the event's {@code enhancedCode} and {@code reply}.
   */
  public record FollowUp(String recipient, BounceKind kind) {
  }

  private static final DateTimeFormatter AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public StatusEvent {
    rejectedRecipients = rejectedRecipients == null ? List.of() : List.copyOf(rejectedRecipients);
    suppressedRecipients = suppressedRecipients == null ? List.of() : List.copyOf(suppressedRecipients);
    // The JSON carries milliseconds; truncating here makes an event equal to itself read back.
    at = at == null ? null : at.truncatedTo(ChronoUnit.MILLIS);
  }

  /** An event without suppressed recipients or follow-up. */
  public StatusEvent(String id, String tenant, State state, int attempt, String messageId, String relay,
      Integer smtpCode, String enhancedCode, String reply, List<String> rejectedRecipients, String error,
      ErrorCode errorCode, Instant at, String bulkId, String key) {
    this(id, tenant, state, attempt, messageId, relay, smtpCode, enhancedCode, reply, rejectedRecipients, error,
        errorCode, at, bulkId, key, List.of(), null);
  }

  /** An event of a mail that did not come from a bulk send. */
  public StatusEvent(String id, String tenant, State state, int attempt, String messageId, String relay,
      Integer smtpCode, String enhancedCode, String reply, List<String> rejectedRecipients, String error,
      ErrorCode errorCode, Instant at) {
    this(id, tenant, state, attempt, messageId, relay, smtpCode, enhancedCode, reply, rejectedRecipients, error,
        errorCode, at, null, null);
  }

  /** The same event for a mail of a bulk send. */
  public StatusEvent ofBulk(String bulkId, String key) {
    return new StatusEvent(id, tenant, state, attempt, messageId, relay, smtpCode, enhancedCode, reply,
        rejectedRecipients, error, errorCode, at, bulkId, key, suppressedRecipients, followUp);
  }

  /** The same event, naming the recipients that were left out because they are suppressed. */
  public StatusEvent withSuppressed(List<String> suppressed) {
    return new StatusEvent(id, tenant, state, attempt, messageId, relay, smtpCode, enhancedCode, reply,
        rejectedRecipients, error, errorCode, at, bulkId, key, suppressed, followUp);
  }

  /**
   * A follow-up of a SENT job: BOUNCED (kind hard, soft or policy) or COMPLAINED (kind complaint)
   * for one recipient, with the report's status code (e.g. {@code 5.1.1}) and text.
   *
   * @param sent the job's SENT event, whose id, tenant, Message-ID, relay and bulk fields it keeps
   */
  public static StatusEvent followUp(StatusEvent sent, String recipient, BounceKind kind, Integer smtpCode,
      String statusCode, String text, Instant at) {
    State state = kind == BounceKind.COMPLAINT ? State.COMPLAINED : State.BOUNCED;
    return new StatusEvent(sent.id(), sent.tenant(), state, sent.attempt(), sent.messageId(), sent.relay(), smtpCode,
        statusCode, text, List.of(), null, null, at, sent.bulkId(), sent.key(), List.of(),
        new FollowUp(recipient, kind));
  }

  /** The job was read and queued for sending. */
  public static StatusEvent accepted(String id, String tenant, Instant at) {
    return new StatusEvent(id, tenant, State.ACCEPTED, 0, null, null, null, null, null, List.of(), null, null, at);
  }

  /** The job broke the contract and will never be sent. */
  public static StatusEvent rejected(String id, String tenant, ErrorCode code, String error, Instant at) {
    return new StatusEvent(id, tenant, State.REJECTED, 0, null, null, null, null, null, List.of(), error, code, at);
  }

  /** The event for a job that failed validation: its first code and every reason. */
  public static StatusEvent rejected(Validation validation, Instant at) {
    return rejected(validation.id(), validation.tenant(), validation.code(), validation.message(), at)
        .ofBulk(validation.bulkId(), validation.key());
  }

  /** A job with the same id was already sent; this one is dropped. */
  public static StatusEvent duplicate(String id, String tenant, Instant at) {
    return new StatusEvent(id, tenant, State.DUPLICATE, 0, null, null, null, null, null, List.of(),
        "a job with this id was already sent", null, at);
  }

  /**
   * The same event about a job: its id, tenant, Message-ID and time (the dispatcher decides what
   * became of a job before it knows when that is published).
   */
  public StatusEvent about(String id, String tenant, String messageId, Instant at) {
    return about(id, tenant, messageId, at, null, null);
  }

  /** The same event about a job of a bulk send (its bulk id and recipient key; both null for a single job). */
  public StatusEvent about(String id, String tenant, String messageId, Instant at, String bulkId, String key) {
    return new StatusEvent(id, tenant, state, attempt, messageId, relay, smtpCode, enhancedCode, reply,
        rejectedRecipients, error, errorCode, at, bulkId, key, suppressedRecipients, followUp);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("tenant", tenant)
        .put("state", state == null ? null : state.name())
        .put("attempt", attempt)
        .put("messageId", messageId)
        .put("relay", relay)
        .put("smtpCode", smtpCode)
        .put("enhancedCode", enhancedCode)
        .put("reply", reply)
        .put("rejectedRecipients", new JsonArray(new ArrayList<>(rejectedRecipients)))
        .put("error", error)
        .put("errorCode", errorCode == null ? null : errorCode.name())
        .put("at", at == null ? null : AT.format(at));
    if (bulkId != null) {
      json.put("bulkId", bulkId).put("key", key);
    }
    if (!suppressedRecipients.isEmpty()) {
      json.put("suppressedRecipients", new JsonArray(new ArrayList<>(suppressedRecipients)));
    }
    if (followUp != null) {
      json.put("recipient", followUp.recipient()).put("kind", followUp.kind() == null ? null : followUp.kind().jsonName());
    }
    return json;
  }

  /**
   * Reads an event written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException when the state is missing or unknown, or {@code at} is not ISO-8601
   */
  public static StatusEvent fromJson(JsonObject json) {
    JsonArray rejected = json.getJsonArray("rejectedRecipients", new JsonArray());
    return new StatusEvent(
        json.getString("id"),
        json.getString("tenant"),
        state(json.getString("state")),
        json.getInteger("attempt", 0),
        json.getString("messageId"),
        json.getString("relay"),
        json.getInteger("smtpCode"),
        json.getString("enhancedCode"),
        json.getString("reply"),
        rejected.stream().map(String::valueOf).toList(),
        json.getString("error"),
        errorCode(json.getString("errorCode")),
        at(json.getString("at")),
        json.getString("bulkId"),
        json.getString("key"),
        json.getJsonArray("suppressedRecipients", new JsonArray()).stream().map(String::valueOf).toList(),
        followUp(json));
  }

  private static FollowUp followUp(JsonObject json) {
    if (json.getString("recipient") == null && json.getString("kind") == null) {
      return null;
    }
    String kind = json.getString("kind");
    return new FollowUp(json.getString("recipient"), kind == null ? null : BounceKind.fromJsonName(kind));
  }

  private static State state(String name) {
    if (name == null) {
      throw new IllegalArgumentException("the status event has no state");
    }
    try {
      return State.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the status event's state '" + name + "' is not a known state", e);
    }
  }

  /** A code added by a newer version must not make the whole event unreadable; {@code error} still says why. */
  private static ErrorCode errorCode(String name) {
    if (name == null) {
      return null;
    }
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Instant at(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("the status event's time '" + text + "' is not ISO-8601", e);
    }
  }
}
