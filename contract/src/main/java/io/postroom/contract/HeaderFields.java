package io.postroom.contract;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the job's extra headers and keeps out those that would change who gets what. */
final class HeaderFields {
  /** An RFC 5322 field name: printable ASCII 33..126 except ':'. */
  private static final Pattern NAME = Pattern.compile("[!-9;-~]+");
  /** Headers Postroom writes itself, by lower-case name, with what to do instead. */
  private static final Map<String, String> RESERVED = Map.ofEntries(
      Map.entry("from", "use the job's from field"),
      Map.entry("to", "use the job's to field"),
      Map.entry("cc", "use the job's cc field"),
      Map.entry("bcc", "use the job's bcc field"),
      Map.entry("subject", "use the job's subject field"),
      Map.entry("reply-to", "use the job's replyTo field"),
      Map.entry("message-id", "Postroom generates it once per job"),
      Map.entry("date", "Postroom sets it when sending"),
      Map.entry("sender", "Postroom sets it from the job's from field"),
      Map.entry("return-path", "the relay sets it from the envelope sender"),
      Map.entry("mime-version", "Postroom writes the MIME structure"),
      Map.entry("content-type", "Postroom writes the MIME structure"),
      Map.entry("content-transfer-encoding", "Postroom writes the MIME structure"));

  private HeaderFields() {
  }

  /** The usable headers, in the order given. */
  static Map<String, String> read(Reading reading) {
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject object = reading.optionalObject("headers", "{\"X-Campaign\": \"q4\"}");
    if (object == null) {
      return headers;
    }
    for (Map.Entry<String, Object> header : object) {
      String name = header.getKey();
      String path = "headers." + name.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
      if (!reading.lineBreakFree(path, name) || !usableName(reading, path, name)) {
        continue;
      }
      if (!(header.getValue() instanceof String value)) {
        reading.add(ErrorCode.INVALID_FIELD, path, path + " must be a string, not "
            + (header.getValue() == null ? "null" : Reading.typeOf(header.getValue())));
        continue;
      }
      if (reading.lineBreakFree(path, value)) {
        headers.put(name, value);
      }
    }
    return headers;
  }

  private static boolean usableName(Reading reading, String path, String name) {
    if (!NAME.matcher(name).matches()) {
      reading.add(ErrorCode.INVALID_FIELD, path, "header name " + Reading.quoted(name)
          + " may only contain printable ASCII characters other than ':' and spaces");
      return false;
    }
    String instead = RESERVED.get(name.toLowerCase(Locale.ROOT));
    if (instead != null) {
      reading.add(ErrorCode.INVALID_FIELD, path, "header " + name + " cannot be given in headers: " + instead);
      return false;
    }
    return true;
  }
}
