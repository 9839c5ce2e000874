package io.postroom.api.status;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.kafka.StatusRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * What the api knows of every job: the newest state and the last {@value #HISTORY} events, read
 * from {@code mail.status} into RocksDB on local disk. Memory stays bounded (RocksDB's caches)
 * however many jobs there are, and a restart goes on from the offsets stored with the data, in the
 * same atomic write, instead of reading the topic again from the start.
 *
 * <p>Four column families: {@code jobs} (id → the job's document), {@code byTenant} (index for
 * listing a tenant's jobs, newest first, per state and over all states), {@code byBulk} (how many
 * jobs of each bulk send are in each state: a job moves from one count to the next as its state
 * changes, so a repeated event counts nothing) and {@code offsets} (partition → next offset). A terminal state, once seen, stays the job's state: an event of an
 * earlier stage that arrives later (the api's ACCEPTED after the dispatcher's SENT) goes into the
 * history only. A follow-up (BOUNCED, COMPLAINED: what came back for one recipient after SENT)
 * never replaces the job's state either: it goes into the history and into {@code followUps} (the
 * newest {@value #FOLLOW_UPS}, each {@code {"state", "recipient", "kind", "code", "text", "at"}}),
 * and lists the job under {@code ?state=BOUNCED} / {@code COMPLAINED} as well as under its state.
 *
 * <p>Blocking (disk): call from a worker thread, never from an event loop. Thread-safe: reads run
 * concurrently, writes ({@link #apply}) one at a time.
 */
public final class JobStatusStore implements AutoCloseable {
  public static final int HISTORY = 20;
  /** The newest follow-ups (bounces, complaints) a job's document keeps. */
  public static final int FOLLOW_UPS = 20;
  private static final String ANY_STATE = "*";

  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle jobs;
  private final ColumnFamilyHandle byTenant;
  private final ColumnFamilyHandle offsets;
  private final ColumnFamilyHandle byBulk;
  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;

  /** One job's entry in a listing. */
  public record Entry(String id, String state, String at) {
  }

  public JobStatusStore(Path dir) {
    try {
      Files.createDirectories(dir);
      options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      familyOptions = new ColumnFamilyOptions();
      List<ColumnFamilyDescriptor> families = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
          new ColumnFamilyDescriptor(bytes("jobs"), familyOptions),
          new ColumnFamilyDescriptor(bytes("byTenant"), familyOptions),
          new ColumnFamilyDescriptor(bytes("offsets"), familyOptions),
          new ColumnFamilyDescriptor(bytes("byBulk"), familyOptions));
      db = RocksDB.open(options, dir.toString(), families, handles);
      jobs = handles.get(1);
      byTenant = handles.get(2);
      offsets = handles.get(3);
      byBulk = handles.get(4);
    } catch (RocksDBException | java.io.IOException e) {
      String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason()
          : e instanceof java.nio.file.FileSystemException ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalStateException("cannot open the job status store in " + dir + " (" + reason + ")", e);
    }
  }

  /** Where reading {@code partition} of the status topic goes on; empty for "from the start". */
  public Optional<Long> nextOffset(int partition) {
    try {
      byte[] value = db.get(offsets, ByteBuffer.allocate(4).putInt(partition).array());
      return value == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(value).getLong());
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Applies events read from the status topic, with the offsets to go on from, in one atomic write.
   *
   * @return the events that could be read, in order
   */
  public synchronized List<StatusEvent> apply(List<StatusRecord> reads) {
    Map<String, JsonObject> touched = new HashMap<>();
    Map<String, Long> bulkCounts = new HashMap<>();
    List<StatusEvent> events = new ArrayList<>();
    try (WriteBatch batch = new WriteBatch(); WriteOptions write = new WriteOptions()) {
      Map<Integer, Long> next = new HashMap<>();
      for (StatusRecord read : reads) {
        next.merge(read.partition(), read.offset() + 1, Math::max);
        StatusEvent event = read.event();
        if (event == null || event.id() == null) {
          continue;
        }
        events.add(event);
        JsonObject before = touched.containsKey(event.id()) ? touched.get(event.id()) : document(event.id());
        JsonObject after = applied(before, event);
        touched.put(event.id(), after);
        countTransition(bulkCounts, before, after, event);
        if (before != null) {
          unindex(batch, event.id(), before);
        }
        index(batch, event.id(), after);
        batch.put(jobs, bytes(event.id()), bytes(after.encode()));
      }
      for (Map.Entry<String, Long> count : bulkCounts.entrySet()) {
        byte[] key = bytes(count.getKey());
        byte[] stored = db.get(byBulk, key);
        long now = (stored == null ? 0 : ByteBuffer.wrap(stored).getLong()) + count.getValue();
        batch.put(byBulk, key, ByteBuffer.allocate(8).putLong(now).array());
      }
      for (Map.Entry<Integer, Long> offset : next.entrySet()) {
        batch.put(offsets, ByteBuffer.allocate(4).putInt(offset.getKey()).array(),
            ByteBuffer.allocate(8).putLong(offset.getValue()).array());
      }
      db.write(write, batch);
      return events;
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write the job status store: " + e.getMessage(), e);
    }
  }

  /** A job of a bulk send that changed state leaves its old state's count for its new one's. */
  private static void countTransition(Map<String, Long> counts, JsonObject before, JsonObject after, StatusEvent event) {
    String bulkId = event.bulkId() != null ? event.bulkId()
        : before == null ? null : before.getJsonObject("latest").getString("bulkId");
    String was = before == null ? null : before.getString("state");
    String is = after.getString("state");
    if (bulkId == null || is.equals(was)) {
      return;
    }
    if (was != null) {
      counts.merge(bulkKey(before.getString("tenant"), bulkId) + was, -1L, Long::sum);
    }
    counts.merge(bulkKey(after.getString("tenant"), bulkId) + is, 1L, Long::sum);
  }

  private static String bulkKey(String tenant, String bulkId) {
    return (tenant == null ? "" : tenant) + "\0" + bulkId + "\0";
  }

  /** How many jobs of the tenant's bulk send are in each state (states with none left out). */
  public Map<State, Long> bulkCounts(String tenant, String bulkId) {
    byte[] prefix = bytes(bulkKey(tenant, bulkId));
    Map<State, Long> counts = new java.util.EnumMap<>(State.class);
    try (RocksIterator it = db.newIterator(byBulk)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        long count = ByteBuffer.wrap(it.value()).getLong();
        if (count > 0) {
          String state = new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.UTF_8);
          counts.put(State.valueOf(state), count);
        }
      }
    }
    return counts;
  }

  /**
   * The job's document: {@code {"id", "tenant", "state", "latest": event, "history": [events, oldest
   * first]}}; empty if no event of it was read.
   */
  public Optional<JsonObject> get(String id) {
    return Optional.ofNullable(document(id));
  }

  /**
   * A tenant's jobs, newest first, in the given state (any, if null), from after the entry
   * {@code after} (a cursor from a previous page; null for the first page).
   */
  public List<Entry> list(String tenant, State state, int limit, String after) {
    byte[] prefix = bytes(tenant + "\0" + (state == null ? ANY_STATE : state.name()) + "\0");
    List<Entry> page = new ArrayList<>();
    try (RocksIterator it = db.newIterator(byTenant)) {
      if (after == null) {
        it.seek(prefix);
      } else {
        byte[] from = concat(prefix, java.util.Base64.getUrlDecoder().decode(after));
        it.seek(from);
        if (it.isValid() && java.util.Arrays.equals(it.key(), from)) {
          it.next();
        }
      }
      for (; it.isValid() && page.size() < limit && startsWith(it.key(), prefix); it.next()) {
        String rest = new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.UTF_8);
        String id = rest.substring(rest.indexOf('\0') + 1);
        JsonObject value = new JsonObject(new String(it.value(), StandardCharsets.UTF_8));
        page.add(new Entry(id, value.getString("state"), value.getString("at")));
      }
    }
    return page;
  }

  /** The cursor that continues a listing after {@code entry} (URL-safe). */
  public static String cursor(Entry entry) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(inverted(entry.at()) + "\0" + entry.id()));
  }

  static JsonObject applied(JsonObject before, StatusEvent event) {
    JsonObject eventJson = event.toJson();
    JsonArray history = before == null ? new JsonArray() : before.getJsonArray("history").copy();
    history.add(eventJson);
    while (history.size() > HISTORY) {
      history.remove(0);
    }
    JsonArray followUps = before == null ? new JsonArray() : before.getJsonArray("followUps", new JsonArray()).copy();
    if (event.state().followUp()) {
      followUps.add(new JsonObject().put("state", event.state().name())
          .put("recipient", event.followUp() == null ? null : event.followUp().recipient())
          .put("kind", event.followUp() == null || event.followUp().kind() == null ? null
              : event.followUp().kind().jsonName())
          .put("code", event.enhancedCode()).put("text", event.reply()).put("at", eventJson.getString("at")));
      while (followUps.size() > FOLLOW_UPS) {
        followUps.remove(0);
      }
    }
    JsonObject latest = before == null ? null : before.getJsonObject("latest");
    // a follow-up (BOUNCED, COMPLAINED) tells of a recipient after SENT: the job stays SENT
    boolean keepLatest = latest != null && (event.state().followUp()
        || State.valueOf(latest.getString("state")).terminal() && !event.state().terminal());
    JsonObject newest = keepLatest ? latest : eventJson;
    JsonObject document = new JsonObject().put("id", event.id())
        .put("tenant", before == null || event.tenant() != null ? event.tenant() : before.getString("tenant"))
        .put("state", newest.getString("state")).put("latest", newest).put("history", history);
    if (!followUps.isEmpty()) {
      document.put("followUps", followUps);
    }
    return document;
  }

  /** The follow-up states a job has had (listed under {@code ?state=BOUNCED} and {@code COMPLAINED}). */
  private static java.util.Set<String> followUpStates(JsonObject document) {
    java.util.Set<String> states = new java.util.TreeSet<>();
    JsonArray followUps = document.getJsonArray("followUps");
    if (followUps != null) {
      for (int i = 0; i < followUps.size(); i++) {
        String state = followUps.getJsonObject(i).getString("state");
        if (state != null && !state.equals(document.getString("state"))) {
          states.add(state);
        }
      }
    }
    return states;
  }

  private JsonObject document(String id) {
    try {
      byte[] value = db.get(jobs, bytes(id));
      return value == null ? null : new JsonObject(new String(value, StandardCharsets.UTF_8));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  private void index(WriteBatch batch, String id, JsonObject document) throws RocksDBException {
    String tenant = document.getString("tenant");
    if (tenant == null) {
      return;
    }
    String at = document.getJsonObject("latest").getString("at");
    byte[] value = bytes(new JsonObject().put("state", document.getString("state")).put("at", at).encode());
    batch.put(byTenant, indexKey(tenant, ANY_STATE, at, id), value);
    batch.put(byTenant, indexKey(tenant, document.getString("state"), at, id), value);
    for (String followUp : followUpStates(document)) {
      batch.put(byTenant, indexKey(tenant, followUp, at, id), value);
    }
  }

  private void unindex(WriteBatch batch, String id, JsonObject document) throws RocksDBException {
    String tenant = document.getString("tenant");
    if (tenant == null) {
      return;
    }
    String at = document.getJsonObject("latest").getString("at");
    batch.delete(byTenant, indexKey(tenant, ANY_STATE, at, id));
    batch.delete(byTenant, indexKey(tenant, document.getString("state"), at, id));
    for (String followUp : followUpStates(document)) {
      batch.delete(byTenant, indexKey(tenant, followUp, at, id));
    }
  }

  private static byte[] indexKey(String tenant, String state, String at, String id) {
    return bytes(tenant + "\0" + state + "\0" + inverted(at) + "\0" + id);
  }

  /** Newest first: the time's milliseconds subtracted from the largest, as fixed-width hex. */
  private static String inverted(String at) {
    long millis = at == null ? 0 : java.time.Instant.parse(at).toEpochMilli();
    String hex = Long.toHexString(Long.MAX_VALUE - millis);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    options.close();
    familyOptions.close();
  }
}
