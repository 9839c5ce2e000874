package io.postroom.contract.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of a few small compacted topics from their beginning and then follows them,
 * on a thread of its own, handing each batch of records to a sink: how a process learns the
 * registered templates ({@code mail.templates}) and the state of bulk sends ({@code mail.bulk},
 * {@code mail.bulk.control}). No consumer group and no commits: every process reads everything.
 *
 * <p>{@link #caughtUp()} completes once the end offsets found at the start are read, so a reader
 * knows when its view holds everything written before it started; {@link #applied} once a given
 * record (one the process wrote itself, say) has been handed to the sink.
 */
public final class TopicFollower implements AutoCloseable {
  /** One record as read; a null value is a tombstone. */
  public record Entry(String topic, int partition, long offset, String key, byte[] value) {
  }

  private record Waiter(TopicPartition partition, long offset, CompletableFuture<Void> done) {
  }

  private final List<String> topics;
  private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
  private final Consumer<List<Entry>> sink;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Thread thread;
  private volatile Consumer<RuntimeException> onStop = e -> { };

  /**
   * @param clientProperties bootstrap servers, client id, security…; any group id is ignored
   * @param threadName the following thread's name
   * @param sink called on the follower's thread with the records of each poll, in offset order per partition
   */
  public TopicFollower(List<String> topics, Map<String, String> clientProperties, String threadName,
      Consumer<List<Entry>> sink) {
    this(new KafkaConsumer<>(StatusTopicReader.consumerProperties(clientProperties), new StringDeserializer(),
        new ByteArrayDeserializer()), topics, threadName, sink);
  }

  /** Over any consumer (a {@code MockConsumer} in tests); the follower owns it from now on. */
  TopicFollower(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, List<String> topics,
      String threadName, Consumer<List<Entry>> sink) {
    this.topics = List.copyOf(topics);
    this.sink = sink;
    this.consumer = consumer;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  /** Told, on the follower's thread, why it stopped following when it stops other than by {@link #close()}. */
  public TopicFollower onStop(Consumer<RuntimeException> listener) {
    this.onStop = listener;
    return this;
  }

  public TopicFollower start() {
    thread.start();
    return this;
  }

  /** Completes once every record that was in the topics when the follower started has reached the sink. */
  public CompletableFuture<Void> caughtUp() {
    return caughtUp;
  }

  /** Completes once the record at {@code offset} of the partition has reached the sink. */
  public CompletableFuture<Void> applied(String topic, int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    Waiter waiter = new Waiter(tp, offset, new CompletableFuture<>());
    synchronized (waiters) {
      if (next.getOrDefault(tp, 0L) > offset) {
        return CompletableFuture.completedFuture(null);
      }
      waiters.add(waiter);
    }
    return waiter.done();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        partitions.addAll(partitionsOf(topic));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          List<Entry> entries = new ArrayList<>(records.count());
          for (ConsumerRecord<String, byte[]> r : records) {
            entries.add(new Entry(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
          }
          sink.accept(entries);
        }
        for (TopicPartition partition : partitions) {
          next.put(partition, consumer.position(partition));
        }
        if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> next.get(e.getKey()) >= e.getValue())) {
          caughtUp.complete(null);
        }
        release();
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      caughtUp.completeExceptionally(e);
      onStop.accept(e);
    } finally {
      consumer.close();
    }
  }

  /**
   * The topic's partitions; a topic created a moment ago (by this process's start check) may have
   * none in the metadata yet, so this asks again for a while rather than follow nothing.
   */
  private List<TopicPartition> partitionsOf(String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (running.get()) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no partitions after 30 s; does it exist?");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      }
    }
    throw new WakeupException();
  }

  private void release() {
    synchronized (waiters) {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
        Waiter waiter = it.next();
        if (next.getOrDefault(waiter.partition(), 0L) > waiter.offset()) {
          waiter.done().complete(null);
          it.remove();
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
