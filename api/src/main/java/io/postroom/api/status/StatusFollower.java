package io.postroom.api.status;

import io.postroom.contract.StatusEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of {@code mail.status} into the {@link JobStatusStore}, from where the
 * store left off, on a thread of its own (a Kafka consumer blocks in {@code poll}). No consumer
 * group: every api replica reads the whole topic into its own store, so any replica answers for
 * any job, a few milliseconds behind the topic.
 */
public final class StatusFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusFollower.class);

  private final JobStatusStore store;
  private final String topic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final java.util.function.Consumer<List<StatusEvent>> listener;
  private final Thread thread;

  /** @param listener told every event applied, on the follower's thread (e.g. the dashboard's counters) */
  public StatusFollower(JobStatusStore store, String bootstrapServers, String topic, Map<String, String> properties,
      java.util.function.Consumer<List<StatusEvent>> listener) {
    this.store = store;
    this.listener = listener;
    this.topic = topic;
    Map<String, Object> props = new HashMap<>(properties);
    props.put("bootstrap.servers", bootstrapServers);
    props.put("client.id", properties.getOrDefault("client.id", "postroom-api") + "-status");
    props.put("enable.auto.commit", "false");
    props.remove("group.id");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "postroom-status-follower");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      for (TopicPartition partition : partitions) {
        store.nextOffset(partition.partition()).ifPresentOrElse(
            offset -> consumer.seek(partition, offset),
            () -> consumer.seekToBeginning(List.of(partition)));
      }
      LOG.info("following {} ({} partitions) into the job status store", topic, partitions.size());
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        List<JobStatusStore.Read> reads = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
          reads.add(new JobStatusStore.Read(record.partition(), record.offset(), record.value()));
        }
        listener.accept(store.apply(reads));
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("stopped following {}: {}; job states are no longer updated", topic, e.toString());
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
