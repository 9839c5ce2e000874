package io.postroom.dispatcher.compliance;

import io.postroom.contract.Address;
import io.postroom.contract.Job;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.TopicFollower;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' suppressed addresses as this process knows them: {@code mail.suppressions} read from
 * its beginning and followed ({@link TopicFollower}, a thread of its own) into RocksDB on local disk,
 * so ten million entries cost tens of megabytes of disk and a bounded cache, not the heap. Lookups
 * are point reads behind a bloom filter (an address that is not suppressed, the common case, is
 * answered from memory): a few microseconds, cheap enough to ask on the event loop for each job.
 *
 * <p>The directory is this process's own and rebuilt at every start (the topic is the truth): a
 * fresh directory under {@code dispatch.stateDir}, deleted when the list closes.
 */
public final class SuppressionList implements Suppressions, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SuppressionList.class);

  private static final byte[][] REASONS = java.util.Arrays.stream(SuppressionReason.values())
      .map(r -> r.name().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Options options;
  private final LRUCache cache;
  private final RocksDB db;
  private final WriteOptions writes;
  private final AtomicLong applied = new AtomicLong();
  private TopicFollower follower;

  private SuppressionList(Path dir) throws RocksDBException {
    this.dir = dir;
    this.cache = new LRUCache(32L << 20);
    this.options = new Options().setCreateIfMissing(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setFilterPolicy(new BloomFilter(10, false))
            .setWholeKeyFiltering(true));
    this.writes = new WriteOptions().setDisableWAL(true);
    this.db = RocksDB.open(options, dir.toString());
  }

  /**
   * Opens an empty list in a new directory under {@code parent} (created if missing). Blocks.
   *
   * @throws UncheckedIOException when the directory cannot be made or the store opened there
   */
  public static SuppressionList open(Path parent) {
    try {
      Files.createDirectories(parent);
      return new SuppressionList(Files.createTempDirectory(parent, "suppressions-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RocksDBException e) {
      throw new UncheckedIOException(new IOException("cannot open the suppression store under " + parent + ": "
          + e.getMessage(), e));
    }
  }

  /** Starts following the topic; the future completes once what it held at the start is applied. */
  public CompletableFuture<Void> follow(KafkaSection kafka) {
    follower = new TopicFollower(List.of(kafka.suppressionsTopic()), kafka.clientProperties("suppressions"),
        "postroom-suppressions", this::applyAll)
        .onStop(e -> LOG.error("stopped reading {}: {}; suppressions added from now on are not seen",
            kafka.suppressionsTopic(), e.toString()))
        .start();
    return follower.caughtUp();
  }

  /** Records of the topic applied so far (to tell a long first read that progresses from one that is stuck). */
  public long applied() {
    return applied.get();
  }

  /** Applies records of the topic, as its reader does (also how the bench fills a list). */
  public void applyAll(List<TopicFollower.Entry> entries) {
    try (WriteBatch batch = new WriteBatch()) {
      for (TopicFollower.Entry entry : entries) {
        String skipped = apply(batch, entry.key(), entry.value());
        if (skipped != null) {
          LOG.warn("record {} of {} at offset {}: {}; skipped", entry.key(), entry.topic(), entry.offset(), skipped);
        }
      }
      db.write(writes, batch);
      applied.addAndGet(entries.size());
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot write the suppression store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return null, or why the record was skipped. The writers (api, bounce reader) checked the value
   *     in full; a reader only makes sure it is a suppression filed under its own key, cheaply: a
   *     start reads millions of them
   */
  private static String apply(WriteBatch batch, String key, byte[] value) throws RocksDBException {
    if (key == null) {
      return "it has no key";
    }
    if (value == null) {
      batch.delete(key.getBytes(StandardCharsets.UTF_8));
      return null;
    }
    SuppressionReason reason;
    try {
      JsonObject json = new JsonObject(Buffer.buffer(value));
      String stream = json.getString("stream", Suppression.ANY_STREAM);
      String filedUnder = json.getString("tenant") + "|" + stream + "|"
          + String.valueOf(json.getString("address")).toLowerCase(Locale.ROOT);
      if (!filedUnder.equals(key)) {
        return "its key is not the suppression's key " + filedUnder;
      }
      reason = SuppressionReason.valueOf(String.valueOf(json.getString("reason")));
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      return "it is not a suppression (" + e.getMessage() + ")";
    }
    batch.put(key.getBytes(StandardCharsets.UTF_8), REASONS[reason.ordinal()]);
    return null;
  }

  @Override
  public List<Suppressed> of(Job job) {
    List<Suppressed> suppressed = null;
    for (Address recipient : job.recipients()) {
      String email = recipient.email().toLowerCase(Locale.ROOT);
      SuppressionReason reason = reason(job.tenant(), Suppression.ANY_STREAM, email);
      if (reason == null && job.stream() != null) {
        reason = reason(job.tenant(), job.stream(), email);
      }
      if (reason != null) {
        if (suppressed == null) {
          suppressed = new ArrayList<>();
        }
        if (suppressed.stream().noneMatch(s -> s.address().equals(email))) {
          suppressed.add(new Suppressed(email, reason));
        }
      }
    }
    return suppressed == null ? List.of() : suppressed;
  }

  /** Why the address is suppressed for the stream, or null when it is not. */
  SuppressionReason reason(String tenant, String stream, String email) {
    byte[] key = (tenant + "|" + stream + "|" + email).getBytes(StandardCharsets.UTF_8);
    // the bloom filter answers most absent keys without reading a block
    if (!db.keyMayExist(key, null)) {
      return null;
    }
    byte[] value;
    try {
      value = db.get(key);
    } catch (RocksDBException e) {
      // a store that cannot be read must not let mail through to a suppressed address unnoticed: the
      // record's processing fails and it is read again (its offset is not committed)
      throw new IllegalStateException("cannot read the suppression store: " + e.getMessage(), e);
    }
    return value == null ? null : SuppressionReason.valueOf(new String(value, StandardCharsets.US_ASCII));
  }

  /** Stops following and deletes the store. Blocks until the reading thread ended: call it off the event loop. */
  @Override
  public void close() throws InterruptedException {
    if (follower != null) {
      follower.close();
    }
    db.close();
    writes.close();
    options.close();
    cache.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete the suppression store {}: {}", dir, e.getMessage());
    }
  }
}
