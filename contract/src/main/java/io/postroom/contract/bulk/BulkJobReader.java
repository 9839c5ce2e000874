package io.postroom.contract.bulk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.postroom.contract.Address;
import io.postroom.contract.ErrorCode;
import io.postroom.contract.JobFields;
import io.postroom.contract.JsonText;
import io.postroom.contract.Priority;
import io.postroom.contract.Reading;
import io.postroom.contract.Violation;
import io.postroom.contract.template.TemplateFields;
import io.postroom.contract.template.TemplateSpec;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a bulk job ({@code "kind": "bulk"}) with a streaming parser, never the whole document into
 * memory. Two passes, because JSON does not order fields and the template may come after the
 * recipients: the first reads and checks the bulk job's own fields and counts the recipients,
 * skipping over their contents; the second, {@link BulkReading#recipients()}, hands them out one at
 * a time. The bulk job's fields follow the job's rules ({@link JobFields}, {@link TemplateFields});
 * its priority defaults to {@code bulk}, since a bulk send is bulk mail (its lane, and its
 * List-Unsubscribe headers).
 */
public final class BulkJobReader {
  /** A bulk job's id is 1 to this many characters, leaving room for {@code /<key>} in its jobs' ids. */
  public static final int MAX_BULK_ID = 120;
  private static final String RECIPIENTS = "recipients";
  /** The recipients come from elsewhere (a CSV body), so the fields are checked without them. */
  private static final int ELSEWHERE = -2;

  /** The bulk job's bytes, opened once per pass: a record's value, or an upload kept in a file. */
  @FunctionalInterface
  public interface Input {
    InputStream open() throws IOException;
  }

  private BulkJobReader() {
  }

  public static BulkReading read(byte[] utf8Json) {
    return read(() -> new ByteArrayInputStream(utf8Json));
  }

  /** Reads and checks the bulk job's own fields; never throws. */
  public static BulkReading read(Input input) {
    JsonObject fields = new JsonObject();
    int recipients = -1;
    try (JsonParser parser = JsonText.parser(input.open())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return invalidJson("the bulk job is not a JSON object: expected {\"kind\": \"bulk\", \"id\": ..., ...}", input);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (RECIPIENTS.equals(name) && value == JsonToken.START_ARRAY) {
          recipients = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            parser.skipChildren();
            recipients++;
          }
        } else {
          fields.put(name, JsonValues.read(parser));
        }
      }
      if (parser.nextToken() != null) {
        return invalidJson("the bulk job has more JSON after its closing '}'", input);
      }
    } catch (IOException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      return invalidJson("the bulk job is not valid JSON (UTF-8): " + message, input);
    }
    return check(fields, recipients, input);
  }

  /**
   * Checks a bulk job's own fields when its recipients come separately (a CSV upload's rows), with
   * the same rules as {@link #read(Input)}; never throws. Its {@link BulkReading#recipients()} has none.
   */
  public static BulkReading readFields(JsonObject fields) {
    return check(fields, ELSEWHERE, () -> new ByteArrayInputStream(new byte[0]));
  }

  /** Whether a job's JSON is a bulk job ({@code "kind": "bulk"}), read without reading the rest into memory. */
  public static boolean isBulk(byte[] utf8Json) {
    try (JsonParser parser = JsonText.parser(new ByteArrayInputStream(utf8Json))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (parser.nextToken() == JsonToken.VALUE_STRING && "kind".equals(name)) {
          return "bulk".equals(parser.getText());
        }
        parser.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static BulkReading check(JsonObject fields, int recipients, Input input) {
    Reading reading = new Reading(fields);
    String kind = reading.optionalText("kind");
    if (kind != null && !"bulk".equals(kind)) {
      reading.add(ErrorCode.INVALID_FIELD, "kind", "kind " + Reading.quoted(kind) + " is not \"bulk\"");
    }
    String id = id(reading);
    String tenant = JobFields.tenant(reading);
    Address from = JobFields.from(reading);
    Address replyTo = JobFields.replyTo(reading);
    TemplateSpec template = TemplateFields.read(reading);
    if (template == null && !reading.anyAbout("template", "templateRef")) {
      reading.add(ErrorCode.MISSING_FIELD, "template", "the bulk job has no template: give template {\"subject\": …,"
          + " \"text\": …, \"html\": …} or templateRef {\"name\": …, \"version\": …}");
    }
    Priority priority = JobFields.priority(reading, Priority.BULK);
    Instant notBefore = JobFields.instant(reading, "notBefore");
    Instant expiresAt = JobFields.instant(reading, "expiresAt");
    JobFields.window(reading, notBefore, expiresAt);
    Integer part = JobFields.wholeNumberFromOne(reading, "part");
    Double maxRate = maxRate(reading);
    String stream = JobFields.name(reading, "stream", reading.optionalText("stream"));
    if (recipients == ELSEWHERE) {
      if (fields.containsKey(RECIPIENTS)) {
        reading.add(ErrorCode.INVALID_FIELD, RECIPIENTS, "the recipients come from the body; give no recipients field");
      }
    } else if (recipients < 0 && reading.optionalArray(RECIPIENTS, "[{\"key\": \"c-1001\", \"to\": \"asha@example.org\"}]")
        == null && !reading.anyAbout(RECIPIENTS)) {
      reading.add(ErrorCode.MISSING_FIELD, RECIPIENTS, "recipients is required: give an array such as"
          + " [{\"key\": \"c-1001\", \"to\": \"asha@example.org\", \"vars\": {\"name\": \"Asha\"}}]");
    } else if (recipients == 0) {
      reading.add(ErrorCode.MISSING_FIELD, RECIPIENTS, "recipients is empty: give at least one recipient");
    }
    BulkJob job = reading.violations().isEmpty()
        ? new BulkJob(id, tenant, from, replyTo, template, priority, notBefore, expiresAt, part, maxRate, stream)
        : null;
    return new BulkReading(job, id, tenant, reading.violations(), Math.max(recipients, 0), input);
  }

  private static String id(Reading reading) {
    String id = reading.requiredText("id", "give the bulk send an id of 1 to " + MAX_BULK_ID + " characters");
    if (id == null) {
      return null;
    }
    if (id.length() > MAX_BULK_ID || id.indexOf('/') >= 0 || JobFields.hasControlCharacters(id)) {
      reading.add(ErrorCode.INVALID_FIELD, "id", "id " + Reading.quoted(id) + " must be 1 to " + MAX_BULK_ID
          + " characters without '/' or control characters (its recipients' job ids are <id>/<key>)");
      return null;
    }
    return id;
  }

  private static Double maxRate(Reading reading) {
    Object rate = reading.json().getValue("maxRate");
    if (rate == null) {
      return null;
    }
    if (rate instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    reading.add(ErrorCode.INVALID_FIELD, "maxRate", "maxRate must be a number of messages per second above 0, not "
        + (rate instanceof Number ? rate : Reading.typeOf(rate)));
    return null;
  }

  private static BulkReading invalidJson(String message, Input input) {
    return new BulkReading(null, null, null, List.of(new Violation(ErrorCode.INVALID_JSON, "", message)), 0, input);
  }

  /** The second pass: to the recipients array, then one element per {@link RecipientSource#next()}. */
  static RecipientSource recipients(Input input, RecipientCheck check) {
    try {
      JsonParser parser = JsonText.parser(input.open());
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (parser.nextToken() == JsonToken.START_ARRAY && RECIPIENTS.equals(name)) {
          return new JsonRecipients(parser, check);
        }
        parser.skipChildren();
      }
      parser.close();
      throw new IllegalStateException("the bulk job's recipients were not found again");
    } catch (IOException e) {
      throw new UncheckedIOException("the bulk job could not be read again", e);
    }
  }

  /** Recipients from the JSON array, read as asked for. */
  private static final class JsonRecipients implements RecipientSource {
    private final JsonParser parser;
    private final RecipientCheck check;
    private int index;
    private JsonToken next;

    JsonRecipients(JsonParser parser, RecipientCheck check) {
      this.parser = parser;
      this.check = check;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          next = parser.nextToken();
        } catch (IOException e) {
          throw new UncheckedIOException("the bulk job could not be read again", e);
        }
      }
      return next != JsonToken.END_ARRAY && next != null;
    }

    @Override
    public RecipientEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      next = null;
      int at = index++;
      try {
        Object value = JsonValues.read(parser);
        String path = "recipients[" + at + "]";
        if (value instanceof Map<?, ?> map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> object = (Map<String, Object>) map;
          return check.entry(at, path, new JsonObject(object));
        }
        return new RecipientProblem(at, null, List.of(new Violation(ErrorCode.INVALID_FIELD, path, path
            + " must be an object such as {\"key\": \"c-1001\", \"to\": \"asha@example.org\"}, not "
            + (value == null ? "null" : Reading.typeOf(value)))));
      } catch (IOException e) {
        throw new UncheckedIOException("the bulk job could not be read again", e);
      }
    }

    @Override
    public void close() {
      try {
        parser.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
