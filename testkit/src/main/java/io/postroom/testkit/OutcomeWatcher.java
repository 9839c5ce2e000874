package io.postroom.testkit;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.kafka.HeaderNames;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the status and dead-letter topics from the beginning, on its own thread, and counts what
 * became of the jobs: the "every job ends in exactly one terminal state" side of every test, and
 * the demo's progress bar.
 *
 * <p>A job has finished when a terminal status event for it exists, or, for a record whose id could
 * not even be read, when its dead letter exists (such a dead letter has no job-id header).
 */
public final class OutcomeWatcher implements AutoCloseable {

  /** A record of the dead-letter topic. */
  public record DeadLetter(String key, byte[] value, String code, String error, String jobId) {
    public String valueText() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  private final List<StatusEvent> events = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  /** Terminal status events plus dead letters without a readable id, counted as they arrive. */
  private int finished;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private final Topics topics;
  private final String bootstrapServers;

  private OutcomeWatcher(String bootstrapServers, Topics topics) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.thread = new Thread(this::run, "outcome-watcher");
    this.thread.setDaemon(true);
  }

  public static OutcomeWatcher start(String bootstrapServers, Topics topics) {
    OutcomeWatcher watcher = new OutcomeWatcher(bootstrapServers, topics);
    watcher.thread.start();
    return watcher;
  }

  private void run() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "outcome-watcher-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.status(), topics.deadLetters()));
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        synchronized (this) {
          records.forEach(this::add);
          notifyAll();
        }
      }
    }
  }

  private void add(ConsumerRecord<String, byte[]> record) {
    if (record.topic().equals(topics.status())) {
      StatusEvent event = StatusEvent.fromJson(new JsonObject(new String(record.value(), StandardCharsets.UTF_8)));
      events.add(event);
      if (event.state().terminal()) {
        finished++;
      }
    } else {
      DeadLetter letter = new DeadLetter(record.key(), record.value(),
          header(record, HeaderNames.ERROR_CODE), header(record, HeaderNames.ERROR),
          header(record, HeaderNames.JOB_ID));
      deadLetters.add(letter);
      if (letter.jobId() == null) {
        finished++;
      }
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Terminal status events plus dead letters of records that had no readable id. */
  public synchronized int finished() {
    return finished;
  }

  /** Waits until at least {@code count} jobs finished; false on timeout. */
  public synchronized boolean awaitFinished(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (finished() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  public synchronized List<StatusEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<StatusEvent> terminalEvents() {
    return events.stream().filter(e -> e.state().terminal()).toList();
  }

  public synchronized Map<State, Integer> terminalCounts() {
    Map<State, Integer> counts = new EnumMap<>(State.class);
    events.stream().filter(e -> e.state().terminal()).forEach(e -> counts.merge(e.state(), 1, Integer::sum));
    return counts;
  }

  public synchronized int count(State state) {
    return (int) events.stream().filter(e -> e.state() == state).count();
  }

  /** Events of {@code state} of the recipients of bulk send {@code bulkId}. */
  public synchronized int count(String bulkId, State state) {
    return (int) events.stream().filter(e -> e.state() == state && bulkId.equals(e.bulkId())).count();
  }

  /** Terminal events per job id: every list must have exactly one element. */
  public synchronized Map<String, List<StatusEvent>> terminalById() {
    Map<String, List<StatusEvent>> byId = new HashMap<>();
    events.stream().filter(e -> e.state().terminal())
        .forEach(e -> byId.computeIfAbsent(e.id(), id -> new ArrayList<>()).add(e));
    return byId;
  }

  public synchronized List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }
}
