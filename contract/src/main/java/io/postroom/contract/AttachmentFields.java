package io.postroom.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads the job's attachments and decodes their base64 data. */
final class AttachmentFields {
  private AttachmentFields() {
  }

  /** The usable attachments; a faulty one is reported under {@code attachments[i]} and left out. */
  static List<Attachment> read(Reading reading) {
    List<Attachment> attachments = new ArrayList<>();
    JsonArray array = reading.optionalArray("attachments",
        "[{\"filename\": \"r.pdf\", \"contentType\": \"application/pdf\", \"data\": \"<base64>\"}]");
    if (array == null) {
      return attachments;
    }
    for (int i = 0; i < array.size(); i++) {
      String path = "attachments[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject a)) {
        reading.add(ErrorCode.BAD_ATTACHMENT, path, path + " must be an object with filename, contentType and data");
        continue;
      }
      Attachment attachment = attachment(reading, path, a);
      if (attachment != null) {
        attachments.add(attachment);
      }
    }
    return attachments;
  }

  private static Attachment attachment(Reading reading, String path, JsonObject a) {
    String filename = text(reading, path, a, "filename");
    String contentType = text(reading, path, a, "contentType");
    String data = text(reading, path, a, "data");
    if (filename == null || contentType == null || data == null) {
      return null;
    }
    boolean safe = reading.lineBreakFree(path + ".filename", filename);
    safe &= reading.lineBreakFree(path + ".contentType", contentType);
    if (!safe) {
      return null;
    }
    try {
      return new Attachment(filename, contentType, decode(data));
    } catch (IllegalArgumentException e) {
      reading.add(ErrorCode.BAD_ATTACHMENT, path,
          path + " (" + Reading.quoted(filename) + "): data is not valid base64: " + e.getMessage());
      return null;
    }
  }

  private static String text(Reading reading, String path, JsonObject a, String key) {
    Object value = a.getValue(key);
    if (value instanceof String s && (key.equals("data") || !s.isBlank())) {
      return s;
    }
    String problem = value == null ? " is missing"
        : value instanceof String ? " is empty" : " must be a string, not " + Reading.typeOf(value);
    reading.add(ErrorCode.BAD_ATTACHMENT, path, path + "." + key + problem
        + ": each attachment needs a filename, a contentType and base64 data");
    return null;
  }

  /**
   * Standard base64; line breaks as MIME writes them are tolerated. The MIME decoder would also
   * skip any other stray character, so line breaks are removed here and the strict decoder used.
   */
  static byte[] decode(String data) {
    String compact = data.replace("\r", "").replace("\n", "");
    for (int i = 0; i < compact.length(); i++) {
      char c = compact.charAt(i);
      boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '=';
      if (!alphabet) {
        throw new IllegalArgumentException("it contains " + describe(c) + ", which is not a base64 character");
      }
    }
    try {
      return Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("its length or '=' padding is wrong", e);
    }
  }

  private static String describe(char c) {
    return c > ' ' && c < 127 ? "'" + c + "'" : String.format("the character U+%04X", (int) c);
  }
}
