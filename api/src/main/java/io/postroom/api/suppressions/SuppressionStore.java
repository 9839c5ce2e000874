package io.postroom.api.suppressions;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The api's view of {@code mail.suppressions}: every tenant's suppressed addresses, in RocksDB on
 * local disk, so that a lookup stays a few microseconds and a tenant's list can be paged through
 * with 10,000,000 entries and no more heap than RocksDB's block cache ({@value #CACHE_BYTES} bytes).
 *
 * <p>Two column families: {@code suppressions} (the topic's key {@code <tenant>|<stream>|<address>}
 * → the value's JSON; listing a tenant, or a tenant's stream, is a prefix scan) and {@code byAddress}
 * ({@code <tenant>|<address>|<stream>} → nothing; listing one address over all streams). Point
 * lookups go through a bloom filter (10 bits a key), so an address that is not suppressed, the
 * common case, rarely reads a data block.
 *
 * <p>The view is rebuilt from the compacted topic at each start ({@link SuppressionView} reads it
 * from the beginning): opening the store empties its directory, and writes skip the write-ahead log.
 *
 * <p>Blocking (disk): call from a worker thread, never from an event loop. Reads run concurrently,
 * {@link #apply} one at a time.
 */
public final class SuppressionStore implements AutoCloseable {
  static final long CACHE_BYTES = 64L << 20;
  private static final char SEP = '|';

  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle suppressions;
  private final ColumnFamilyHandle byAddress;
  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;
  private final LRUCache cache;
  private final WriteOptions write = new WriteOptions().setDisableWAL(true);

  /** Which of a tenant's suppressions a listing shows; a null field does not filter. */
  public record Filter(String address, String stream, SuppressionReason reason) {
    public static final Filter NONE = new Filter(null, null, null);
  }

  /** One page of a listing; {@code next} continues it (null at the end). */
  public record Page(List<Suppression> suppressions, String next) {
  }

  /** Opens an empty store in {@code dir} (whatever was there is removed: the topic is read again). */
  public SuppressionStore(Path dir) {
    try {
      Files.createDirectories(dir);
      try (Options destroy = new Options()) {
        RocksDB.destroyDB(dir.toString(), destroy);
      }
      cache = new LRUCache(CACHE_BYTES);
      options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      familyOptions = new ColumnFamilyOptions()
          .setCompressionType(CompressionType.LZ4_COMPRESSION)
          .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
              .setFilterPolicy(new BloomFilter(10, false)).setWholeKeyFiltering(true));
      List<ColumnFamilyDescriptor> families = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
          new ColumnFamilyDescriptor(bytes("suppressions"), familyOptions),
          new ColumnFamilyDescriptor(bytes("byAddress"), familyOptions));
      db = RocksDB.open(options, dir.toString(), families, handles);
      suppressions = handles.get(1);
      byAddress = handles.get(2);
    } catch (RocksDBException | IOException e) {
      throw new IllegalStateException("cannot open the suppression store in " + dir + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Applies records of the topic in order: a value sets the suppression under its key, a null value
   * (a tombstone) lifts it.
   *
   * @return why each record that could not be read was skipped
   */
  public synchronized List<String> apply(List<Record> records) {
    List<String> skipped = new ArrayList<>();
    try (WriteBatch batch = new WriteBatch()) {
      for (Record record : records) {
        String[] key = record.key() == null ? null : record.key().split("\\|", 3);
        if (key == null || key.length != 3) {
          skipped.add("record '" + record.key() + "' of the suppressions topic has no <tenant>|<stream>|<address> key");
          continue;
        }
        if (record.value() == null) {
          batch.delete(suppressions, bytes(record.key()));
          batch.delete(byAddress, bytes(key[0] + SEP + key[2] + SEP + key[1]));
          continue;
        }
        // stored as written: reading 10,000,000 records at start must not parse each one (a value
        // that is not a suppression is skipped when read, and said so here when it is plainly not JSON)
        if (record.value().length == 0 || record.value()[0] != '{') {
          skipped.add("record '" + record.key() + "' of the suppressions topic is not a JSON suppression; skipped");
          continue;
        }
        batch.put(suppressions, bytes(record.key()), record.value());
        batch.put(byAddress, bytes(key[0] + SEP + key[2] + SEP + key[1]), new byte[0]);
      }
      db.write(write, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write the suppression store: " + e.getMessage(), e);
    }
    return skipped;
  }

  /** A record of the topic: its key, and its value (null: a tombstone). */
  public record Record(String key, byte[] value) {
  }

  /** The suppression under exactly this key (stream {@code *} is a key of its own). */
  public Optional<Suppression> get(String tenant, String stream, String address) {
    try {
      byte[] value = db.get(suppressions, bytes(Suppression.key(tenant, stream, address)));
      return value == null ? Optional.empty() : read(value);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether mail of {@code stream} to the address is suppressed: for that stream, or for all of them. */
  public Optional<Suppression> covering(String tenant, String stream, String address) {
    Optional<Suppression> exact = get(tenant, stream, address);
    return exact.isPresent() || stream == null || Suppression.ANY_STREAM.equals(stream) ? exact
        : get(tenant, Suppression.ANY_STREAM, address);
  }

  /**
   * A page of the tenant's suppressions matching the filter, from after the cursor {@code after}
   * (null: from the start), in key order. At most {@code maxScanned} entries are looked at, so a
   * filter that matches little answers a short page (with a {@code next}) rather than scan for long.
   */
  public Page list(String tenant, Filter filter, String after, int limit, int maxScanned) {
    boolean byAddr = filter.address() != null;
    String prefixText = byAddr ? tenant + SEP + filter.address() + SEP
        : filter.stream() != null ? tenant + SEP + filter.stream() + SEP : tenant + SEP;
    byte[] prefix = bytes(prefixText);
    List<Suppression> page = new ArrayList<>();
    byte[] last = null;
    int scanned = 0;
    try (RocksIterator it = db.newIterator(byAddr ? byAddress : suppressions)) {
      if (after == null) {
        it.seek(prefix);
      } else {
        byte[] from = Base64.getUrlDecoder().decode(after);
        if (!startsWith(from, prefix)) {
          throw new IllegalArgumentException("the cursor does not belong to this listing");
        }
        it.seek(from);
        if (it.isValid() && Arrays.equals(it.key(), from)) {
          it.next();
        }
      }
      for (; it.isValid() && startsWith(it.key(), prefix); it.next()) {
        if (page.size() == limit || scanned == maxScanned) {
          return new Page(page, cursor(last));
        }
        scanned++;
        last = it.key();
        Suppression suppression;
        if (byAddr) {
          String stream = new String(last, prefix.length, last.length - prefix.length, StandardCharsets.UTF_8);
          Optional<Suppression> found = get(tenant, stream, filter.address());
          if (found.isEmpty()) {
            continue;
          }
          suppression = found.get();
        } else {
          Optional<Suppression> read = read(it.value());
          if (read.isEmpty()) {
            continue;
          }
          suppression = read.get();
        }
        if ((filter.stream() == null || filter.stream().equals(suppression.stream()))
            && (filter.reason() == null || filter.reason() == suppression.reason())) {
          page.add(suppression);
        }
      }
    }
    return new Page(page, null);
  }

  private static String cursor(byte[] key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  /** The stored value; empty (as if lifted) for one that is not a suppression. */
  private static Optional<Suppression> read(byte[] value) {
    try {
      return Optional.of(Suppression.fromJson(new JsonObject(new String(value, StandardCharsets.UTF_8))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Compacts everything written so far (for a measurement: a fresh view is read as the topic arrives). */
  void compact() {
    try {
      db.compactRange(suppressions);
      db.compactRange(byAddress);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    options.close();
    familyOptions.close();
    cache.close();
    write.close();
  }
}
