package io.postroom.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One lifecycle event of a job, the value on {@code mail.status}. Field names are the contract's;
 * {@code errorCode} is added beside {@code error} so that machines need not parse sentences.
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
    Instant at) {

  private static final DateTimeFormatter AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public StatusEvent {
    rejectedRecipients = rejectedRecipients == null ? List.of() : List.copyOf(rejectedRecipients);
  }

  /** The event for a job that failed validation. */
  public static StatusEvent rejected(String id, String tenant, ErrorCode code, String error, Instant at) {
    return new StatusEvent(id, tenant, State.REJECTED, 0, null, null, null, null, null, List.of(), error, code, at);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("tenant", tenant)
        .put("state", state.name())
        .put("attempt", attempt)
        .put("messageId", messageId)
        .put("relay", relay)
        .put("smtpCode", smtpCode)
        .put("enhancedCode", enhancedCode)
        .put("reply", reply)
        .put("rejectedRecipients", new JsonArray(List.copyOf(rejectedRecipients)))
        .put("error", error)
        .put("errorCode", errorCode == null ? null : errorCode.name())
        .put("at", AT.format(at));
  }

  public static StatusEvent fromJson(JsonObject json) {
    JsonArray rejected = json.getJsonArray("rejectedRecipients", new JsonArray());
    String errorCode = json.getString("errorCode");
    return new StatusEvent(
        json.getString("id"),
        json.getString("tenant"),
        State.valueOf(json.getString("state")),
        json.getInteger("attempt", 0),
        json.getString("messageId"),
        json.getString("relay"),
        json.getInteger("smtpCode"),
        json.getString("enhancedCode"),
        json.getString("reply"),
        rejected.stream().map(String::valueOf).toList(),
        json.getString("error"),
        errorCode == null ? null : ErrorCode.valueOf(errorCode),
        Instant.parse(json.getString("at")));
  }
}
