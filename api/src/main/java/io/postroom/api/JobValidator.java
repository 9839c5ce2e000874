package io.postroom.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a job against the contract and builds the {@link Job}. Every problem is reported, not
 * just the first, each with a stable {@link ErrorCode}, the field's path and a sentence a person
 * can act on. The one validation for every entry point: the dispatcher and the HTTP api.
 */
public final class JobValidator {
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 36_700_160L;
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]+");
  private static final Set<String> RESERVED_HEADERS = Set.of("from", "to", "cc", "bcc", "subject", "message-id",
      "date", "reply-to", "sender", "return-path", "mime-version", "content-type", "content-transfer-encoding");

  private final long maxMessageBytes;

  public JobValidator(long maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  public Validation validate(byte[] utf8Json) {
    if (utf8Json == null || utf8Json.length == 0) {
      return invalidJson("the record is empty: expected a job as a JSON object");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8Json)).toString();
    } catch (CharacterCodingException e) {
      return invalidJson("the record is not valid UTF-8");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      return invalidJson("the record is not valid JSON: " + shorten(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject json)) {
      return invalidJson("the record is JSON but not an object: expected {\"id\": ..., \"tenant\": ..., ...}");
    }
    return validate(json);
  }

  private static Validation invalidJson(String message) {
    return new Validation(null, null, null, List.of(new Violation(ErrorCode.INVALID_JSON, "", message)));
  }

  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String line = s.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  public Validation validate(JsonObject json) {
    return new Reading(json).validation();
  }

  /** One pass over one job, collecting violations. */
  private final class Reading {
    private final JsonObject json;
    private final List<Violation> violations = new ArrayList<>();

    Reading(JsonObject json) {
      this.json = json;
    }

    Validation validation() {
      String id = requiredText("id");
      if (id != null) {
        if (id.isEmpty() || id.length() > 200) {
          add(ErrorCode.INVALID_FIELD, "id", "id must be 1 to 200 characters long, got " + id.length());
        } else if (id.chars().anyMatch(Character::isISOControl)) {
          add(ErrorCode.HEADER_INJECTION, "id", "id contains control characters (CR, LF, tab, ...)");
        }
      }
      String tenant = requiredText("tenant");
      if (tenant != null && !TENANT.matcher(tenant).matches()) {
        add(ErrorCode.INVALID_FIELD, "tenant",
            "tenant \"" + printable(tenant) + "\" must be 1 to 100 letters, digits, '.', '_' or '-'");
      }
      Address from = address("from", requiredText("from"));
      String replyToText = optionalText("replyTo");
      Address replyTo = replyToText == null ? null : address("replyTo", replyToText);
      List<Address> to = addressList("to");
      List<Address> cc = addressList("cc");
      List<Address> bcc = addressList("bcc");
      if (to != null && cc != null && bcc != null && to.size() + cc.size() + bcc.size() == 0
          && noViolationUnder("to", "cc", "bcc")) {
        add(ErrorCode.MISSING_FIELD, "to", "the job has no recipient: give at least one address in to, cc or bcc");
      }
      String subject = requiredText("subject");
      if (subject != null) {
        noLineBreaks("subject", subject);
      }
      String text = optionalText("text");
      String html = optionalText("html");
      if (text == null && html == null && !json.containsKey("text") && !json.containsKey("html")) {
        add(ErrorCode.MISSING_FIELD, "text", "the job has no body: give text, html or both");
      }
      Map<String, String> headers = headers();
      List<Attachment> attachments = attachments();
      Priority priority = priority();
      Instant notBefore = instant("notBefore");
      Instant expiresAt = instant("expiresAt");
      if (notBefore != null && expiresAt != null && expiresAt.isBefore(notBefore)) {
        add(ErrorCode.INVALID_FIELD, "expiresAt", "expiresAt " + expiresAt + " is before notBefore " + notBefore);
      }
      String readableId = id != null && !id.isEmpty() && id.length() <= 200 && id.chars().noneMatch(Character::isISOControl)
          ? id : null;
      String readableTenant = tenant != null && TENANT.matcher(tenant).matches() ? tenant : null;
      if (!violations.isEmpty()) {
        return new Validation(null, readableId, readableTenant, violations);
      }
      Job job = new Job(id, tenant, from, replyTo, to, cc, bcc, subject, text, html, headers, attachments, priority,
          notBefore, expiresAt);
      long size = job.estimatedSize();
      if (size > maxMessageBytes) {
        add(ErrorCode.TOO_LARGE, "", "the message is about " + megabytes(size) + ", above the relay's limit of "
            + megabytes(maxMessageBytes) + ": send large files as links");
        return new Validation(null, id, tenant, violations);
      }
      return new Validation(job, id, tenant, List.of());
    }

    private boolean noViolationUnder(String... fields) {
      for (Violation v : violations) {
        for (String f : fields) {
          if (v.field().equals(f) || v.field().startsWith(f + "[")) {
            return false;
          }
        }
      }
      return true;
    }

    private void add(ErrorCode code, String field, String message) {
      violations.add(new Violation(code, field, message));
    }

    private String requiredText(String field) {
      Object value = json.getValue(field);
      if (value == null) {
        add(ErrorCode.MISSING_FIELD, field, field + " is required");
        return null;
      }
      if (!(value instanceof String s)) {
        add(ErrorCode.INVALID_FIELD, field, field + " must be a string");
        return null;
      }
      return s;
    }

    private String optionalText(String field) {
      Object value = json.getValue(field);
      if (value == null) {
        return null;
      }
      if (!(value instanceof String s)) {
        add(ErrorCode.INVALID_FIELD, field, field + " must be a string");
        return null;
      }
      return s;
    }

    private boolean noLineBreaks(String field, String value) {
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
        add(ErrorCode.HEADER_INJECTION, field, field + " contains a line break (CR or LF) or NUL,"
            + " which would let it add headers to the message: \"" + printable(value) + "\"");
        return false;
      }
      return true;
    }

    private Address address(String field, String value) {
      if (value == null || !noLineBreaks(field, value)) {
        return null;
      }
      try {
        return Address.parse(value);
      } catch (AddressException e) {
        add(ErrorCode.BAD_ADDRESS, field, field + " \"" + printable(value) + "\" is not a valid e-mail address: it "
            + e.getMessage());
        return null;
      }
    }

    private List<Address> addressList(String field) {
      Object value = json.getValue(field);
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof JsonArray array)) {
        add(ErrorCode.INVALID_FIELD, field, field + " must be an array of addresses, e.g. [\"a@example.org\"]");
        return null;
      }
      List<Address> addresses = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        String path = field + "[" + i + "]";
        if (!(array.getValue(i) instanceof String s)) {
          add(ErrorCode.INVALID_FIELD, path, path + " must be a string");
          continue;
        }
        Address address = address(path, s);
        if (address != null) {
          addresses.add(address);
        }
      }
      return addresses;
    }

    private Map<String, String> headers() {
      Object value = json.getValue("headers");
      Map<String, String> headers = new LinkedHashMap<>();
      if (value == null) {
        return headers;
      }
      if (!(value instanceof JsonObject object)) {
        add(ErrorCode.INVALID_FIELD, "headers", "headers must be an object of names to values");
        return headers;
      }
      for (Map.Entry<String, Object> header : object) {
        String name = header.getKey();
        String path = "headers." + printable(name);
        if (!noLineBreaks(path, name)) {
          continue;
        }
        if (!HEADER_NAME.matcher(name).matches()) {
          add(ErrorCode.INVALID_FIELD, path, "header name \"" + printable(name)
              + "\" may only contain printable ASCII characters other than ':' and spaces");
          continue;
        }
        if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
          add(ErrorCode.INVALID_FIELD, path, "header " + name + " is set by Postroom from the job's fields;"
              + " use the job's own field instead");
          continue;
        }
        if (!(header.getValue() instanceof String headerValue)) {
          add(ErrorCode.INVALID_FIELD, path, path + " must be a string");
          continue;
        }
        if (noLineBreaks(path, headerValue)) {
          headers.put(name, headerValue);
        }
      }
      return headers;
    }

    private List<Attachment> attachments() {
      Object value = json.getValue("attachments");
      List<Attachment> attachments = new ArrayList<>();
      if (value == null) {
        return attachments;
      }
      if (!(value instanceof JsonArray array)) {
        add(ErrorCode.INVALID_FIELD, "attachments", "attachments must be an array");
        return attachments;
      }
      for (int i = 0; i < array.size(); i++) {
        String path = "attachments[" + i + "]";
        if (!(array.getValue(i) instanceof JsonObject a)) {
          add(ErrorCode.BAD_ATTACHMENT, path, path + " must be an object with filename, contentType and data");
          continue;
        }
        String filename = a.getValue("filename") instanceof String s ? s : null;
        String contentType = a.getValue("contentType") instanceof String s ? s : null;
        String data = a.getValue("data") instanceof String s ? s : null;
        if (filename == null || filename.isBlank() || contentType == null || contentType.isBlank() || data == null) {
          add(ErrorCode.BAD_ATTACHMENT, path, path + " needs a filename, a contentType and base64 data");
          continue;
        }
        if (!noLineBreaks(path + ".filename", filename) || !noLineBreaks(path + ".contentType", contentType)) {
          continue;
        }
        try {
          attachments.add(new Attachment(filename, contentType, Base64.getMimeDecoder().decode(strictBase64(data))));
        } catch (IllegalArgumentException e) {
          add(ErrorCode.BAD_ATTACHMENT, path + ".data", path + ".data (" + printable(filename)
              + ") is not valid base64");
        }
      }
      return attachments;
    }

    /** The MIME decoder skips characters outside the alphabet; refuse them instead of guessing. */
    private String strictBase64(String data) {
      for (int i = 0; i < data.length(); i++) {
        char c = data.charAt(i);
        boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n';
        if (!ok) {
          throw new IllegalArgumentException("not base64");
        }
      }
      String compact = data.replace("\r", "").replace("\n", "");
      if (compact.length() % 4 != 0) {
        throw new IllegalArgumentException("not base64");
      }
      return compact;
    }

    private Priority priority() {
      String value = optionalText("priority");
      if (value == null) {
        return Priority.NORMAL;
      }
      try {
        return Priority.fromJson(value);
      } catch (IllegalArgumentException e) {
        add(ErrorCode.INVALID_FIELD, "priority", "priority " + e.getMessage());
        return null;
      }
    }

    private Instant instant(String field) {
      String value = optionalText(field);
      if (value == null) {
        return null;
      }
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        add(ErrorCode.INVALID_FIELD, field, field + " \"" + printable(value)
            + "\" is not an ISO-8601 time such as 2026-11-22T10:00:00Z");
        return null;
      }
    }
  }

  /** The value as it can be shown in one line of an error message. */
  private static String printable(String value) {
    String shown = value.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    return shown.length() > 80 ? shown.substring(0, 80) + "…" : shown;
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
