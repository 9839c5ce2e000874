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
 * {@code runId-(N-1)} (or the recipients {@code runId/0} to {@code runId/(N-1)} of a bulk send, see
 * {@link BenchBulk}): terminal events per job (each must have exactly one), states, and per job
 * when its terminal event was written and whether it was SENT; {@link #batch} gives the figures of
 * a range of jobs (a cold or a warm batch), measured from the events' own {@code at} times.
 */
final class StatusTally implements AutoCloseable {
  private static final java.util.Set<String> TERMINAL = java.util.Set.of("SENT", "FAILED", "EXPIRED", "REJECTED", "DUPLICATE",
      "CANCELLED", "SUPPRESSED");

  private final String runId;
  private final int jobs;
  private final AtomicLongArray publishedAt;
  private final byte[] terminalEvents;
  private final long[] terminalAt;
  private final boolean[] sentFlags;
  private final Map<String, Long> states = new ConcurrentHashMap<>();
  private final Thread reader;
  private final KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private int finished;
  private int sent;
  private long doubleTerminal;

  StatusTally(String bootstrap, String topic, String runId, int jobs) {
    this.runId = runId;
    this.jobs = jobs;
    this.publishedAt = new AtomicLongArray(jobs);
    this.terminalEvents = new byte[jobs];
    this.terminalAt = new long[jobs];
    this.sentFlags = new boolean[jobs];
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
    if (!TERMINAL.contains(state)) {
      return;
    }
    int index = index(runId, id);
    if (index < 0 || index >= jobs) {
      return;
    }
    if (terminalEvents[index]++ > 0) {
      doubleTerminal++;
      return;
    }
    finished++;
    long at = Instant.parse(event.getString("at")).toEpochMilli();
    terminalAt[index] = at;
    if (state.equals("SENT")) {
      sent++;
      sentFlags[index] = true;
    }
    notifyAll();
  }

  /** The number of job {@code runId-i} or bulk recipient {@code runId/i}; -1 for any other id. */
  static int index(String runId, String id) {
    if (id.length() <= runId.length() + 1 || !id.startsWith(runId)
        || (id.charAt(runId.length()) != '-' && id.charAt(runId.length()) != '/')) {
      return -1;
    }
    try {
      return Integer.parseInt(id.substring(runId.length() + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
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

  synchronized Map<String, Long> states() {
    return new TreeMap<>(states);
  }

  /**
   * What jobs {@code from} to {@code to - 1} did: SENT and otherwise finished, the first and last
   * terminal event's time, publish-to-SENT latencies, and SENT per second counted from
   * {@code windowStartMillis} (second k is [start + k s, start + k + 1 s)).
   */
  synchronized Batch batch(int from, int to, long windowStartMillis) {
    long first = Long.MAX_VALUE;
    long last = 0;
    int sentCount = 0;
    int finishedCount = 0;
    long[] latency = new long[to - from];
    List<Long> perSecond = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (terminalAt[i] == 0) {
        continue;
      }
      finishedCount++;
      first = Math.min(first, terminalAt[i]);
      last = Math.max(last, terminalAt[i]);
      if (sentFlags[i]) {
        latency[sentCount++] = Math.max(0, terminalAt[i] - publishedAt.get(i));
        int second = (int) Math.max(0, (terminalAt[i] - windowStartMillis) / 1000);
        while (perSecond.size() <= second) {
          perSecond.add(0L);
        }
        perSecond.set(second, perSecond.get(second) + 1);
      }
    }
    return new Batch(sentCount, finishedCount - sentCount, finishedCount == 0 ? 0 : first, last,
        percentiles(Arrays.copyOf(latency, sentCount)), perSecond);
  }

  /** The figures of a range of jobs; times in epoch milliseconds, latencies p50/p95/p99 in ms. */
  record Batch(int sent, int failed, long firstTerminalMillis, long lastTerminalMillis, double[] latencyMillis,
      List<Long> perSecond) {
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
