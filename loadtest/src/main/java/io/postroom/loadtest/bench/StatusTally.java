package io.postroom.loadtest.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the status topic while a benchmark runs and counts, for the jobs {@code runId-0} to
 * {@code runId-(N-1)}: terminal events per job (each must have exactly one), states, SENT per
 * second, and the time from publishing each job to its SENT event.
 */
final class StatusTally implements AutoCloseable {
  private static final java.util.Set<String> TERMINAL = java.util.Set.of("SENT", "FAILED", "EXPIRED", "REJECTED", "DUPLICATE");

  private final String prefix;
  private final int jobs;
  private final AtomicLongArray publishedAt;
  private final byte[] terminalEvents;
  private final long[] latencies;
  private final Map<String, Long> states = new ConcurrentHashMap<>();
  private final TreeMap<Long, Long> sentPerSecond = new TreeMap<>();
  private final Thread reader;
  private final KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private int finished;
  private int sent;
  private long doubleTerminal;
  private long firstSentMillis = Long.MAX_VALUE;
  private long lastTerminalMillis;

  StatusTally(String bootstrap, String topic, String runId, int jobs) {
    this.prefix = runId + "-";
    this.jobs = jobs;
    this.publishedAt = new AtomicLongArray(jobs);
    this.terminalEvents = new byte[jobs];
    this.latencies = new long[jobs];
    this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false",
        "max.poll.records", "5000", "fetch.max.bytes", "52428800", "client.id", "postroom-bench-status"),
        new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = partitionsOf(topic);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.reader = new Thread(this::read, "status-tally");
    reader.setDaemon(true);
    reader.start();
  }

  /** A topic created a moment ago may not be in the metadata yet: asks again for a while. */
  private List<TopicPartition> partitionsOf(String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      if (!partitions.isEmpty() || System.nanoTime() > deadline) {
        return partitions;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return partitions;
      }
    }
  }

  /** Notes that job {@code index} is being published now. */
  void published(long index) {
    publishedAt.set((int) index, System.currentTimeMillis());
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          count(new JsonObject(Buffer.buffer(record.value())));
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private synchronized void count(JsonObject event) {
    String id = event.getString("id", "");
    String state = event.getString("state", "?");
    states.merge(state, 1L, Long::sum);
    if (!TERMINAL.contains(state) || !id.startsWith(prefix)) {
      return;
    }
    int index;
    try {
      index = Integer.parseInt(id.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return;
    }
    if (index < 0 || index >= jobs) {
      return;
    }
    if (terminalEvents[index]++ > 0) {
      doubleTerminal++;
      return;
    }
    finished++;
    long at = Instant.parse(event.getString("at")).toEpochMilli();
    lastTerminalMillis = Math.max(lastTerminalMillis, at);
    if (state.equals("SENT")) {
      latencies[sent++] = Math.max(0, at - publishedAt.get(index));
      firstSentMillis = Math.min(firstSentMillis, at);
      sentPerSecond.merge(at / 1000, 1L, Long::sum);
    }
    notifyAll();
  }

  /** Waits until {@code count} jobs have their terminal event; false on timeout. */
  synchronized boolean awaitFinished(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (finished < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  synchronized int finished() {
    return finished;
  }

  synchronized int sent() {
    return sent;
  }

  /** Terminal events beyond the first for a job: must stay 0. */
  synchronized long doubleTerminal() {
    return doubleTerminal;
  }

  synchronized long lastTerminalMillis() {
    return lastTerminalMillis;
  }

  synchronized Map<String, Long> states() {
    return new TreeMap<>(states);
  }

  /** p50, p95 and p99 of publish-to-SENT in milliseconds. */
  synchronized double[] latencyPercentiles() {
    return percentiles(Arrays.copyOf(latencies, sent));
  }

  /** SENT events in each second from the first to the last. */
  synchronized List<Long> perSecond() {
    List<Long> counts = new ArrayList<>();
    if (sentPerSecond.isEmpty()) {
      return counts;
    }
    for (long second = sentPerSecond.firstKey(); second <= sentPerSecond.lastKey(); second++) {
      counts.add(sentPerSecond.getOrDefault(second, 0L));
    }
    return counts;
  }

  static double[] percentiles(long[] values) {
    if (values.length == 0) {
      return new double[] {0, 0, 0};
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new double[] {at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99)};
  }

  private static double at(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    reader.join(5000);
  }
}
