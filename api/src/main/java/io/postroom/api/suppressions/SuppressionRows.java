package io.postroom.api.suppressions;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One suppression as a tenant writes it (a JSON object {@code {"address", "stream", "reason"}} or a
 * CSV row {@code address[,stream[,reason]]}) and as the api shows it (JSON without the tenant, or a
 * CSV row {@code address,stream,reason,at,source}). A missing or empty stream is {@code *} (all of
 * the tenant's mail), a missing reason {@code MANUAL}.
 */
final class SuppressionRows {
  static final String CSV_HEADER = "address,stream,reason,at,source";

  private SuppressionRows() {
  }

  /** A row that could not be read: its errors, each {@code {"code", "field", "message"}}. */
  static final class RowException extends IllegalArgumentException {
    final transient JsonArray errors;

    RowException(JsonArray errors) {
      super(errors.encode());
      this.errors = errors;
    }
  }

  static Suppression of(String tenant, String address, String stream, String reason, Instant at, String source) {
    JsonArray errors = new JsonArray();
    if (address == null || address.isBlank()) {
      errors.add(error("MISSING_FIELD", "address", "the address is missing"));
    } else {
      try {
        Suppression.normalise(address);
      } catch (IllegalArgumentException e) {
        errors.add(error("BAD_ADDRESS", "address", e.getMessage()));
      }
    }
    SuppressionReason parsedReason = SuppressionReason.MANUAL;
    if (reason != null && !reason.isBlank()) {
      try {
        parsedReason = SuppressionReason.valueOf(reason.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(error("INVALID_FIELD", "reason", "the reason '" + reason + "' is not one of UNSUBSCRIBED,"
            + " HARD_BOUNCE, COMPLAINT, MANUAL"));
      }
    }
    String theStream = stream == null || stream.isBlank() ? Suppression.ANY_STREAM : stream.trim();
    if (errors.isEmpty()) {
      try {
        return new Suppression(tenant, address, theStream, parsedReason, at, source);
      } catch (IllegalArgumentException e) {
        errors.add(error("INVALID_FIELD", "stream", e.getMessage()));
      }
    }
    throw new RowException(errors);
  }

  /** One object of a PUT's JSON. */
  static Suppression of(String tenant, Object item, Instant at, String source) {
    if (!(item instanceof JsonObject json)) {
      throw new RowException(new JsonArray().add(error("INVALID_JSON", null,
          "a suppression is an object {\"address\", \"stream\", \"reason\"}")));
    }
    Object address = json.getValue("address");
    Object stream = json.getValue("stream");
    Object reason = json.getValue("reason");
    JsonArray errors = new JsonArray();
    for (String field : List.of("address", "stream", "reason")) {
      if (json.getValue(field) != null && !(json.getValue(field) instanceof String)) {
        errors.add(error("INVALID_FIELD", field, "'" + field + "' must be a string"));
      }
    }
    if (!errors.isEmpty()) {
      throw new RowException(errors);
    }
    return of(tenant, (String) address, (String) stream, (String) reason, at, source);
  }

  /** The cells of one CSV line: {@code ,} between them, {@code "…"} around one that holds commas, {@code ""} inside. */
  static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"' && cell.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    if (quoted) {
      throw new RowException(new JsonArray().add(error("INVALID_FIELD", null,
          "a quoted cell is not closed on its line (a suppression's cells hold no line breaks)")));
    }
    cells.add(cell.toString().trim());
    return cells;
  }

  static JsonObject json(Suppression suppression) {
    JsonObject json = suppression.toJson();
    json.remove("tenant");
    return json;
  }

  static String csv(Suppression s) {
    return String.join(",", cell(s.address()), cell(s.stream()), s.reason().name(), s.at().toString(),
        cell(s.source() == null ? "" : s.source())) + "\r\n";
  }

  private static String cell(String value) {
    boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0;
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  static JsonObject error(String code, String field, String message) {
    return new JsonObject().put("code", code).put("field", field).put("message", message);
  }
}
