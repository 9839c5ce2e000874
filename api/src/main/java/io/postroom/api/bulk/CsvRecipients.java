package io.postroom.api.bulk;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Violation;
import io.postroom.contract.bulk.RecipientCheck;
import io.postroom.contract.bulk.RecipientEntry;
import io.postroom.contract.bulk.RecipientProblem;
import io.postroom.contract.bulk.RecipientSource;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The recipients of a CSV upload (RFC 4180: {@code ,} between fields, {@code "} around a field that
 * holds commas, quotes or line breaks, {@code ""} for a quote inside one, CRLF or LF after each row,
 * UTF-8 with or without a byte-order mark), read one row at a time from a stream: only the row being
 * read is in memory, however long the file.
 *
 * <p>The header row names the columns: {@code key} and {@code email} (in any case, any order) are
 * the recipient's key and address, every other column is a template variable of that name. Each row
 * becomes {@code {"key", "to", "vars"}} and goes through the bulk job's {@link RecipientCheck}, so a
 * CSV recipient follows exactly the rules of a JSON one; an empty key or email cell counts as
 * missing, an empty variable cell is the empty string (which switches a section off). A row with
 * another number of fields than the header, or with bytes that are not UTF-8, is that row's problem
 * only. Blank lines are skipped.
 * Problems name the line the row starts on ({@link #line()}), counting the header as line 1.
 */
public final class CsvRecipients implements RecipientSource {
  private static final int BUFFER = 64 * 1024;
  /** What the decoder puts in place of bytes that are not UTF-8: only that row is refused. */
  private static final char NOT_UTF8 = '\uFFFD';

  private final Reader reader;
  private final RecipientCheck check;
  private final char[] buffer = new char[BUFFER];
  private int position;
  private int limit;
  private boolean ended;
  /** The line the next character is on. */
  private int currentLine = 1;
  private final List<String> columns;
  private final int keyColumn;
  private final int emailColumn;
  private int index;
  private RecipientEntry next;
  private int nextLine;
  private int line;

  /** Thrown when the header row cannot be used: no key or email column, a name twice, an empty name. */
  public static final class HeaderException extends RuntimeException {
    HeaderException(String message) {
      super(message);
    }
  }

  /**
   * Reads the header row at once.
   *
   * @throws HeaderException when the header is unusable
   * @throws UncheckedIOException when the stream fails
   */
  public CsvRecipients(InputStream in, RecipientCheck check) {
    this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    this.check = check;
    skipByteOrderMark();
    List<String> header = row();
    if (header == null || header.size() == 1 && header.get(0).isBlank()) {
      throw new HeaderException("the CSV has no header row: the first line must name the columns, e.g. key,email,name");
    }
    List<String> names = new ArrayList<>(header.size());
    Set<String> seen = new HashSet<>();
    int key = -1;
    int email = -1;
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim();
      if (name.isEmpty()) {
        throw new HeaderException("column " + (i + 1) + " of the header row has no name; name every column");
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new HeaderException("the header row names column '" + name + "' twice; name each column once");
      }
      if (name.equalsIgnoreCase("key")) {
        key = i;
      } else if (name.equalsIgnoreCase("email")) {
        email = i;
      }
      names.add(name);
    }
    if (key < 0 || email < 0) {
      throw new HeaderException("the header row " + String.join(",", names) + " has no " + (key < 0 ? "key" : "")
          + (key < 0 && email < 0 ? " and no " : "") + (email < 0 ? "email" : "") + " column: it must name key,"
          + " email and then the template's variables, e.g. key,email,name");
    }
    this.columns = List.copyOf(names);
    this.keyColumn = key;
    this.emailColumn = email;
  }

  /** The columns named in the header, as given. */
  public List<String> columns() {
    return columns;
  }

  /** The line on which the row last returned by {@link #next()} starts (the header is line 1). */
  public int line() {
    return line;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      nextLine = currentLine;
      List<String> fields = row();
      if (fields == null) {
        return false;
      }
      if (fields.size() == 1 && fields.get(0).isEmpty()) {
        continue;
      }
      next = entry(fields);
    }
    return true;
  }

  @Override
  public RecipientEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RecipientEntry entry = next;
    next = null;
    line = nextLine;
    return entry;
  }

  private RecipientEntry entry(List<String> fields) {
    int at = index++;
    String where = "line " + nextLine;
    for (String field : fields) {
      if (field.indexOf(NOT_UTF8) >= 0) {
        return new RecipientProblem(at, null, List.of(new Violation(ErrorCode.INVALID_FIELD, where, where
            + " is not UTF-8 (or holds U+FFFD): save the file as UTF-8")));
      }
    }
    if (fields.size() != columns.size()) {
      return new RecipientProblem(at, fields.size() > keyColumn ? fields.get(keyColumn) : null, List.of(
          new Violation(ErrorCode.INVALID_FIELD, where, where + " has " + fields.size() + " fields, the header "
              + columns.size() + " (" + String.join(",", columns) + "): quote a field that holds a comma")));
    }
    JsonObject vars = new JsonObject();
    for (int i = 0; i < fields.size(); i++) {
      if (i != keyColumn && i != emailColumn) {
        vars.put(columns.get(i), fields.get(i));
      }
    }
    JsonObject recipient = new JsonObject();
    String key = fields.get(keyColumn).trim();
    String email = fields.get(emailColumn).trim();
    if (!key.isEmpty()) {
      recipient.put("key", key);
    }
    if (!email.isEmpty()) {
      recipient.put("to", email);
    }
    return check.entry(at, where, recipient.put("vars", vars));
  }

  /** The fields of the next row, or null at the end of the stream. */
  private List<String> row() {
    if (!fill()) {
      return null;
    }
    List<String> fields = new ArrayList<>(columns == null ? 8 : columns.size());
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (fill()) {
      char c = buffer[position++];
      if (quoted) {
        if (c == '"') {
          if (fill() && buffer[position] == '"') {
            field.append('"');
            position++;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            currentLine++;
          }
          field.append(c);
        }
      } else if (c == '"' && field.isEmpty() && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && fill() && buffer[position] == '\n') {
          position++;
        }
        currentLine++;
        fields.add(field.toString());
        return fields;
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  /** Whether a character is available at {@link #position}, reading more if needed. */
  private boolean fill() {
    if (position < limit) {
      return true;
    }
    if (ended) {
      return false;
    }
    try {
      int read = reader.read(buffer, 0, buffer.length);
      if (read < 0) {
        ended = true;
        return false;
      }
      position = 0;
      limit = read;
      return read > 0 || fill();
    } catch (IOException e) {
      throw new UncheckedIOException("the CSV could not be read: " + e.getMessage(), e);
    }
  }

  private void skipByteOrderMark() {
    if (fill() && buffer[position] == '\uFEFF') {
      position++;
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
