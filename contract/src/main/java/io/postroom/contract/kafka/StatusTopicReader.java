package io.postroom.contract.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the status topic ({@code mail.status}): every partition, without a consumer group (each
 * reader wants the whole topic, and commits nothing), from where its owner says, on a thread of its
 * own, since a Kafka consumer blocks in {@code poll}. Records are handed over in batches as
 * {@link StatusRecord}s, on that thread.
 *
 * <p>Two ways to read: {@link #follow} reads on until closed (the api's status store);
 * {@link #catchUp} reads up to the end offsets the partitions have when it starts, then stops (the
 * dispatcher learning what the group already reported). Reads run one after the other; a reader
 * remembers where its last read of each partition stopped ({@link PartitionOffsets#position}).
 */
public final class StatusTopicReader {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

  /**
   * A partition's offsets when a read starts.
   *
   * @param partitionCount how many partitions the topic has
   * @param position where this reader's last read of the partition stopped; -1 before its first
   */
  public record PartitionOffsets(int partition, int partitionCount, long beginningOffset, long endOffset,
      long position) {
  }

  /** Where to start reading a partition; an offset outside its records is moved to the nearer end. */
  @FunctionalInterface
  public interface Start {
    long offset(PartitionOffsets offsets);

    /** From the first record still in the partition. */
    static Start beginning() {
      return PartitionOffsets::beginningOffset;
    }

    /**
     * From where this reader's last read of the partition stopped, but never more than
     * {@code records} back from the end over the whole topic (shared evenly by its partitions).
     */
    static Start recent(long records) {
      return offsets -> Math.max(offsets.position(),
          offsets.endOffset() - Math.max(1, records / offsets.partitionCount()));
    }
  }

  /** Told every batch of records read, on the reader's thread. */
  @FunctionalInterface
  public interface Listener {
    void read(List<StatusRecord> records);
  }

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final ExecutorService thread;
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private List<TopicPartition> partitions;
  private volatile boolean closed;
  private CompletableFuture<Void> closing;

  /**
   * @param clientProperties bootstrap servers, client id, security…; any group id is ignored
   * @param values whether to read the events' JSON ({@link StatusRecord#value}); without, only keys and headers
   * @param threadName the reading thread's name
   */
  public static StatusTopicReader open(Map<String, String> clientProperties, String topic, boolean values,
      String threadName) {
    return new StatusTopicReader(new KafkaConsumer<>(consumerProperties(clientProperties), new StringDeserializer(),
        values ? new ByteArrayDeserializer() : new NoValues()), topic, threadName);
  }

  /**
   * For a reader of keys and headers only (the dispatcher reads every status event at start): no
   * copy of the events' JSON, which the consumer hands to a deserializer as a buffer.
   */
  private static final class NoValues implements Deserializer<byte[]> {
    @Override
    public byte[] deserialize(String topic, byte[] data) {
      return null;
    }

    @Override
    public byte[] deserialize(String topic, Headers headers, ByteBuffer data) {
      return null;
    }
  }

  /** The consumer's properties: no group, so no commits and no rebalances. */
  static Map<String, Object> consumerProperties(Map<String, String> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove("group.id");
    props.put("enable.auto.commit", "false");
    return props;
  }

  /** Over any consumer (a {@code MockConsumer} in tests); the reader owns it from now on. */
  public StatusTopicReader(Consumer<String, byte[]> consumer, String topic, String threadName) {
    this.consumer = consumer;
    this.topic = topic;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Reads every partition from {@code start} on, handing each batch to {@code listener}, until
   * closed. Completes when closed, or with the error that stopped it (including one thrown by the
   * listener).
   */
  public CompletableFuture<Void> follow(Start start, Listener listener) {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(() -> {
      try {
        consumer.resume(seek(start, false, METADATA_WAIT, METADATA_WAIT).keySet());
        while (!closed) {
          hand(consumer.poll(POLL), listener);
        }
      } catch (WakeupException e) {
        // closed
      }
    }, thread);
  }

  /**
   * Reads every partition from {@code start} up to the end offset it has now, handing each batch to
   * {@code listener}. Completes with true once read, or false when {@code limit} passed first (or
   * the reader was closed): what was read by then was handed over.
   */
  public CompletableFuture<Boolean> catchUp(Start start, Duration limit, Listener listener) {
    if (closed) {
      return CompletableFuture.completedFuture(false);
    }
    return CompletableFuture.supplyAsync(() -> {
      long deadline = System.nanoTime() + limit.toNanos();
      try {
        Map<TopicPartition, Long> ends = seek(start, true, remaining(deadline), remaining(deadline));
        consumer.resume(ends.keySet());
        try {
          while (!ends.isEmpty() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              return false;
            }
            hand(consumer.poll(left < POLL.toNanos() ? Duration.ofNanos(left) : POLL), listener);
            for (Iterator<Map.Entry<TopicPartition, Long>> it = ends.entrySet().iterator(); it.hasNext(); ) {
              Map.Entry<TopicPartition, Long> end = it.next();
              long position = consumer.position(end.getKey());
              positions.put(end.getKey(), position);
              if (position >= end.getValue()) {
                consumer.pause(List.of(end.getKey()));
                it.remove();
              }
            }
          }
          return ends.isEmpty();
        } finally {
          consumer.pause(ends.keySet());
        }
      } catch (WakeupException | TimeoutException e) {
        return false;
      }
    }, thread);
  }

  /**
   * Moves each partition to where {@code start} says (all of them, or with {@code onlyBehind}, only
   * those with records left to read).
   *
   * @return the partitions moved, each with its end offset now
   */
  private Map<TopicPartition, Long> seek(Start start, boolean onlyBehind, Duration metadataWait, Duration offsetsWait) {
    List<TopicPartition> all = partitions(metadataWait);
    if (all.isEmpty()) {
      return new HashMap<>();
    }
    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(all, offsetsWait);
    Map<TopicPartition, Long> ends = consumer.endOffsets(all, offsetsWait);
    Map<TopicPartition, Long> moved = new HashMap<>();
    for (TopicPartition partition : all) {
      long beginning = beginnings.get(partition);
      long end = ends.get(partition);
      long from = start.offset(new PartitionOffsets(partition.partition(), all.size(), beginning, end,
          positions.getOrDefault(partition, -1L)));
      from = Math.min(Math.max(from, beginning), end);
      positions.put(partition, from);
      if (from < end || !onlyBehind) {
        consumer.seek(partition, from);
        moved.put(partition, end);
      }
    }
    return moved;
  }

  /** The topic's partitions, assigned (and paused) on the first read. */
  private List<TopicPartition> partitions(Duration wait) {
    if (partitions == null) {
      List<TopicPartition> found = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, wait);
      for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
        found.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(found);
      consumer.pause(found);
      partitions = List.copyOf(found);
    }
    return partitions;
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static void hand(ConsumerRecords<String, byte[]> records, Listener listener) {
    if (records.isEmpty()) {
      return;
    }
    List<StatusRecord> batch = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      batch.add(new StatusRecord(record.partition(), record.offset(), record.key(),
          StatusRecord.state(value(record.headers().lastHeader(HeaderNames.STATE))),
          text(record.headers().lastHeader(HeaderNames.SOURCE)), record.value()));
    }
    listener.read(batch);
  }

  private static byte[] value(Header header) {
    return header == null ? null : header.value();
  }

  private static String text(Header header) {
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Stops the read in progress (a catch-up then completes with false), closes the consumer and ends
   * the thread; the future completes once the consumer is closed. Again: the same future.
   */
  public synchronized CompletableFuture<Void> close() {
    if (closing == null) {
      closed = true;
      consumer.wakeup();
      closing = CompletableFuture.runAsync(() -> consumer.close(Duration.ofSeconds(5)), thread);
      thread.shutdown();
    }
    return closing;
  }
}
