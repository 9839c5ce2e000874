package io.postroom.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over one job's JSON: typed access to its fields that records a {@link Violation} for each
 * missing or wrongly typed value instead of throwing, so that every fault is reported at once.
 * Public for the readers of bulk jobs and templates, which read their fields the same way.
 */
public final class Reading {
  private static final int SHOWN_CHARACTERS = 80;

  private final JsonObject json;
  private final String prefix;
  private final List<Violation> violations;

  public Reading(JsonObject json) {
    this(json, "");
  }

  /**
   * A reading of an object inside another, such as one recipient of a bulk job, whose fields are
   * reported with its path in front: {@code prefix} {@code "recipients[3]."} makes {@code to}
   * {@code recipients[3].to}.
   */
  public Reading(JsonObject json, String prefix) {
    this(json, prefix, new ArrayList<>());
  }

  private Reading(JsonObject json, String prefix, List<Violation> violations) {
    this.json = json;
    this.prefix = prefix;
    this.violations = violations;
  }

  /** The object in {@code field}, read into the same list of violations with its path in front. */
  public Reading nested(String field, JsonObject object) {
    return new Reading(object, path(field) + ".", violations);
  }

  /** The field's JSON path, as violations report it. */
  public String path(String field) {
    return prefix + field;
  }

  public JsonObject json() {
    return json;
  }

  public List<Violation> violations() {
    return violations;
  }

  public void add(ErrorCode code, String field, String message) {
    violations.add(new Violation(code, path(field), message));
  }

  /** Whether a violation was already recorded for one of these fields or anything inside them. */
  public boolean anyAbout(String... fields) {
    for (Violation v : violations) {
      for (String field : fields) {
        String f = path(field);
        if (v.field().equals(f) || v.field().startsWith(f + "[") || v.field().startsWith(f + ".")) {
          return true;
        }
      }
    }
    return false;
  }

  /** A required string; an empty one counts as missing, because it carries nothing. */
  public String requiredText(String field, String hint) {
    Object value = json.getValue(field);
    if (value == null || "".equals(value)) {
      add(ErrorCode.MISSING_FIELD, field, path(field) + " is required: " + hint);
      return null;
    }
    return text(field, value);
  }

  public String optionalText(String field) {
    Object value = json.getValue(field);
    return value == null ? null : text(field, value);
  }

  private String text(String field, Object value) {
    if (value instanceof String s) {
      return s;
    }
    add(ErrorCode.INVALID_FIELD, field, path(field) + " must be a string, not " + typeOf(value));
    return null;
  }

  public JsonArray optionalArray(String field, String example) {
    return optional(field, JsonArray.class, "an array", example);
  }

  public JsonObject optionalObject(String field, String example) {
    return optional(field, JsonObject.class, "an object", example);
  }

  /** The field's value if absent or of {@code type}; else null, and an INVALID_FIELD naming {@code kind}. */
  private <T> T optional(String field, Class<T> type, String kind, String example) {
    Object value = json.getValue(field);
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    add(ErrorCode.INVALID_FIELD, field, path(field) + " must be " + kind + " such as " + example + ", not "
        + typeOf(value));
    return null;
  }

  /**
   * Records {@link ErrorCode#HEADER_INJECTION} when the value holds CR, LF or NUL: in a header
   * line these end the line and let the rest of the value become headers or SMTP commands.
   */
  public boolean lineBreakFree(String field, String value) {
    if (value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && value.indexOf('\0') < 0) {
      return true;
    }
    add(ErrorCode.HEADER_INJECTION, field, path(field) + " contains a line break (CR or LF) or NUL, which would let it"
        + " add headers to the message: " + quoted(value));
    return false;
  }

  /** The value in quotes, on one line and cut short, as it can be shown in a message. */
  public static String quoted(String value) {
    String shown = value.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    return '"' + (shown.length() > SHOWN_CHARACTERS ? shown.substring(0, SHOWN_CHARACTERS) + "…" : shown) + '"';
  }

  public static String typeOf(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "true or false";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
