package io.postroom.contract.compliance;

import io.postroom.contract.Address;
import io.postroom.contract.AddressException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One suppressed address of a tenant: the value on {@code mail.suppressions}, keyed by
 * {@link #key()} ({@code <tenant>|<stream or *>|<address>}); a tombstone under the key lifts it.
 * A suppression of stream {@code *} stops every mail of the tenant to the address; one of a named
 * stream stops only that stream's mail (a job names its stream in {@code "stream"}).
 *
 * <p>Addresses are compared as written, lower-cased ({@link #normalise}): mailbox providers treat
 * local parts case-insensitively, and an unsubscribe must not be dodged by a capital letter.
 *
 * @param source who or what suppressed it: {@code one-click}, {@code mailto}, {@code bounce:<job id>},
 *     {@code api:<key name>}, free text of at most 200 characters
 */
public record Suppression(String tenant, String address, String stream, SuppressionReason reason, Instant at,
    String source) {
  /** The stream of a suppression that covers all of a tenant's mail. */
  public static final String ANY_STREAM = "*";
  private static final int MAX_PART = 200;

  public Suppression {
    tenant = checkedPart("tenant", tenant);
    address = normalise(address);
    stream = stream == null ? ANY_STREAM : checkedPart("stream", stream);
    if (reason == null) {
      throw new IllegalArgumentException("the suppression has no reason");
    }
    if (at == null) {
      throw new IllegalArgumentException("the suppression has no time ('at')");
    }
    if (source != null && source.length() > MAX_PART) {
      source = source.substring(0, MAX_PART);
    }
  }

  /** The record key on {@code mail.suppressions}. */
  public String key() {
    return key(tenant, stream, address);
  }

  /** The key of the suppression of {@code address} for {@code stream} (null: every stream) of {@code tenant}. */
  public static String key(String tenant, String stream, String address) {
    return tenant + "|" + (stream == null ? ANY_STREAM : stream) + "|" + normalise(address);
  }

  /**
   * An address as the suppression list compares it: the bare address, trimmed and lower-cased.
   *
   * @throws IllegalArgumentException when it is not an address (a display name is not accepted)
   */
  public static String normalise(String address) {
    Address parsed;
    try {
      parsed = Address.parse(address);
    } catch (AddressException e) {
      throw new IllegalArgumentException("'" + address + "' is not an e-mail address: " + e.getMessage(), e);
    }
    if (parsed.displayName() != null) {
      throw new IllegalArgumentException("'" + address + "' is not a bare e-mail address");
    }
    return parsed.email().toLowerCase(Locale.ROOT);
  }

  static String checkedPart(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the " + name + " is missing");
    }
    if (value.length() > MAX_PART || value.indexOf('|') >= 0 || value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("the " + name + " '" + value
          + "' must be at most " + MAX_PART + " characters without '|' or control characters");
    }
    return value;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("tenant", tenant)
        .put("address", address)
        .put("stream", stream)
        .put("reason", reason.name())
        .put("at", at.toString())
        .put("source", source);
  }

  /**
   * Reads a value of {@code mail.suppressions}.
   *
   * @throws IllegalArgumentException saying which field is missing or wrong
   */
  public static Suppression fromJson(JsonObject json) {
    String reason = json.getString("reason");
    if (reason == null) {
      throw new IllegalArgumentException("the suppression has no reason");
    }
    SuppressionReason parsedReason;
    try {
      parsedReason = SuppressionReason.valueOf(reason);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the reason '" + reason + "' is not one of UNSUBSCRIBED, HARD_BOUNCE, "
          + "COMPLAINT, MANUAL", e);
    }
    Instant at;
    try {
      at = json.getString("at") == null ? null : Instant.parse(json.getString("at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'at' is not an ISO-8601 time: " + json.getString("at"), e);
    }
    return new Suppression(json.getString("tenant"), json.getString("address"), json.getString("stream"),
        parsedReason, at, json.getString("source"));
  }
}
