package io.postroom.bounces.state;

import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceToken;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * What the bounce reader keeps on local disk (RocksDB in {@code bounces.stateDir}; off the heap, so
 * memory stays bounded however many mails were sent):
 *
 * <ul>
 *   <li>the <b>sent index</b>: the {@code SENT} event of every mail, under the {@code ref} of its
 *       Message-ID ({@link BounceToken#messageRef}), built by following {@code mail.status};
 *   <li>the <b>processed reports</b>: the report ids whose records are on Kafka, so that a report
 *       published but not yet moved out of the mailbox (a crash between the two) is not published twice;
 *   <li>the <b>soft bounces</b> of each tenant and address: their times, to suppress after too many.
 * </ul>
 *
 * Blocking: used on the reader's and the status follower's threads, never on an event loop.
 */
public final class ReaderState implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle sent;
  private final ColumnFamilyHandle processed;
  private final ColumnFamilyHandle soft;
  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;
  private final WriteOptions writes = new WriteOptions();

  private ReaderState(Path dir) {
    try {
      Files.createDirectories(dir);
      options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      familyOptions = new ColumnFamilyOptions().optimizeForPointLookup(16);
      List<ColumnFamilyDescriptor> families = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
          new ColumnFamilyDescriptor(bytes("sent"), familyOptions),
          new ColumnFamilyDescriptor(bytes("processed"), familyOptions),
          new ColumnFamilyDescriptor(bytes("soft"), familyOptions));
      db = RocksDB.open(options, dir.toString(), families, handles);
      sent = handles.get(1);
      processed = handles.get(2);
      soft = handles.get(3);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot open the bounce reader's state in " + dir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the bounce reader's state directory " + dir, e);
    }
  }

  public static ReaderState open(Path dir) {
    return new ReaderState(dir);
  }

  /** Remembers a SENT event under its Message-ID's ref; false when its Message-ID is not one of Postroom's. */
  public boolean putSent(StatusEvent event) {
    Optional<String> ref = BounceToken.messageRef(event.messageId());
    if (ref.isEmpty()) {
      return false;
    }
    put(sent, ref.get(), event.toJson().encode());
    return true;
  }

  /** The SENT event of the mail whose Message-ID has this ref. */
  public Optional<StatusEvent> sent(String ref) {
    return get(sent, ref).map(json -> StatusEvent.fromJson(new JsonObject(json)));
  }

  public boolean isProcessed(String reportId) {
    return get(processed, reportId).isPresent();
  }

  /** The times of the soft bounces of {@code address} at {@code tenant} remembered so far, oldest first. */
  public List<Instant> softBounces(String tenant, String address) {
    return get(soft, tenant + "|" + address)
        .map(text -> Arrays.stream(text.split(",")).filter(s -> !s.isEmpty())
            .map(s -> Instant.ofEpochMilli(Long.parseLong(s))).toList())
        .orElse(List.of());
  }

  /**
   * Writes, in one atomic batch, that these reports are processed (at {@code at}) and the soft-bounce
   * times each key ({@code tenant|address}) has now (an empty list forgets the key).
   */
  public void commit(List<String> reportIds, Map<String, List<Instant>> softBounces, Instant at) {
    try (WriteBatch batch = new WriteBatch()) {
      for (String id : reportIds) {
        batch.put(processed, bytes(id), bytes(Long.toString(at.toEpochMilli())));
      }
      for (Map.Entry<String, List<Instant>> entry : softBounces.entrySet()) {
        if (entry.getValue().isEmpty()) {
          batch.delete(soft, bytes(entry.getKey()));
        } else {
          batch.put(soft, bytes(entry.getKey()), bytes(String.join(",",
              entry.getValue().stream().map(t -> Long.toString(t.toEpochMilli())).toList())));
        }
      }
      db.write(writes, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write the bounce reader's state: " + e.getMessage(), e);
    }
  }

  /**
   * Forgets the processed reports older than {@code before}: a report stays in the mailbox only
   * between its publication and its move, so old entries are never asked about again.
   *
   * @return how many were forgotten
   */
  public int forgetProcessedBefore(Instant before) {
    int n = 0;
    try (RocksIterator it = db.newIterator(processed); WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (Long.parseLong(new String(it.value(), StandardCharsets.UTF_8)) < before.toEpochMilli()) {
          batch.delete(processed, it.key());
          n++;
        }
      }
      db.write(writes, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write the bounce reader's state: " + e.getMessage(), e);
    }
    return n;
  }

  private void put(ColumnFamilyHandle family, String key, String value) {
    try {
      db.put(family, writes, bytes(key), bytes(value));
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write the bounce reader's state: " + e.getMessage(), e);
    }
  }

  private Optional<String> get(ColumnFamilyHandle family, String key) {
    try {
      byte[] value = db.get(family, bytes(key));
      return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the bounce reader's state: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writes.close();
    options.close();
    familyOptions.close();
  }
}
