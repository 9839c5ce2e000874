package io.postroom.loadtest.baseline;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka ceiling: what the Kafka round trip itself costs. A plain {@link KafkaConsumer} on the
 * jobs topic, the raw baseline's {@link MailClient} (same {@link VertxBaseline#config}: STARTTLS
 * required, AUTH, a pool of {@code connections}) with exactly {@code connections} sends
 * outstanding, and a {@link KafkaProducer} configured as Postroom's (acks=all, idempotent, lz4,
 * linger.ms 5) writing one small SENT status per mail; consumer offsets are committed every second,
 * only up to records whose status write is acknowledged ({@link OffsetLedger}).
 *
 * <p>Threads: the consumer is single-threaded, so one poll thread owns it, polls, commits, and hands
 * each record to one Vert.x context once a send slot is free (a semaphore of {@code connections}
 * permits; while it waits for a slot it does not poll, which is the simplest back-pressure, and the
 * consumer's heartbeats run on Kafka's own thread). The send and the status write start on the
 * context; the slot is given back at the SMTP outcome. It stops after {@code --messages} statuses
 * are acknowledged, or at the first failure.
 */
final class KafkaCeiling {
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  private final BaselineOptions options;
  private final Recorder recorder;
  private final OffsetLedger ledger = new OffsetLedger();
  private final Semaphore slots;
  private final CountDownLatch acknowledged;
  private final AtomicInteger handedOut = new AtomicInteger();
  private volatile boolean failed;

  private KafkaCeiling(BaselineOptions options, String password) {
    this.options = options;
    this.recorder = new Recorder(options, password, 0, options.messages());
    this.slots = new Semaphore(options.connections());
    this.acknowledged = new CountDownLatch(options.messages());
  }

  static BaselineResult run(BaselineOptions options, String password) {
    return new KafkaCeiling(options, password).run(password);
  }

  private BaselineResult run(String password) {
    Vertx vertx = Vertx.vertx();
    BaselineOptions.KafkaTopics kafka = options.kafka();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(kafka),
        new StringDeserializer(), new ByteArrayDeserializer());
         KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(kafka),
             new StringSerializer(), new ByteArraySerializer())) {
      MailClient client = MailClient.create(vertx, VertxBaseline.config(options, password));
      Context context = vertx.getOrCreateContext();
      consumer.subscribe(List.of(kafka.jobsTopic()));
      recorder.start();
      poll(consumer, record -> context.runOnContext(v -> send(client, producer, record)));
      client.close().await();
      return recorder.result();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return recorder.result();
    } finally {
      vertx.close().await();
    }
  }

  /** The poll loop, on this (the only) thread that touches the consumer. */
  private void poll(KafkaConsumer<String, byte[]> consumer, java.util.function.Consumer<Handed> handOver)
      throws InterruptedException {
    long lastCommit = System.nanoTime();
    while (!finished()) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          lastCommit = commitWhenDue(consumer, lastCommit);
          if (failed) {
            break;
          }
        }
        if (failed || handedOut.get() >= options.messages()) {
          break;
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        ledger.handedOut(partition, record.offset());
        handOver.accept(new Handed(handedOut.getAndIncrement(), partition, record));
      }
      lastCommit = commitWhenDue(consumer, lastCommit);
    }
    consumer.commitSync(ledger.toCommit());
  }

  private boolean finished() throws InterruptedException {
    return failed || acknowledged.await(0, TimeUnit.MILLISECONDS);
  }

  private long commitWhenDue(KafkaConsumer<String, byte[]> consumer, long lastCommit) {
    if (System.nanoTime() - lastCommit < COMMIT_INTERVAL.toNanos()) {
      return lastCommit;
    }
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = ledger.toCommit();
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, null);
    }
    return System.nanoTime();
  }

  /** A record handed to the context, with its slot number for the recorder. */
  private record Handed(int slot, TopicPartition partition, ConsumerRecord<String, byte[]> record) {
  }

  /** On the context: parse, send, and at the 250 write the status. */
  private void send(MailClient client, KafkaProducer<String, byte[]> producer, Handed handed) {
    JsonObject job;
    try {
      job = new JsonObject(Buffer.buffer(handed.record().value()));
    } catch (RuntimeException e) {
      fail(handed, e);
      return;
    }
    long started = System.nanoTime();
    client.sendMail(JobMail.of(job)).onComplete(result -> {
      slots.release();
      if (result.failed()) {
        fail(handed, result.cause());
        return;
      }
      recorder.sent(handed.slot(), started);
      String id = job.getString("id");
      byte[] status = new JsonObject().put("id", id).put("tenant", job.getString("tenant")).put("state", "SENT")
          .put("attempt", 1).put("messageId", JobMail.messageId(id)).put("smtpCode", 250)
          .put("at", Instant.now().toString()).encode().getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(options.kafka().statusTopic(), id, status), (metadata, error) -> {
        if (error != null) {
          fail(handed, error);
          return;
        }
        ledger.finished(handed.partition(), handed.record().offset());
        acknowledged.countDown();
      });
    });
  }

  private void fail(Handed handed, Throwable error) {
    recorder.failed(handed.slot(), error);
    failed = true;
  }

  private Map<String, Object> consumerProperties(BaselineOptions.KafkaTopics kafka) {
    return Map.of("bootstrap.servers", kafka.bootstrap(), "group.id", "ceiling-" + options.runId(),
        "enable.auto.commit", "false", "auto.offset.reset", "earliest", "max.poll.records", "500",
        // as the dispatcher's consumer: a bounded fetch-ahead
        "fetch.max.bytes", Integer.toString(4 * 1024 * 1024), "client.id", "postroom-ceiling");
  }

  private static Map<String, Object> producerProperties(BaselineOptions.KafkaTopics kafka) {
    return Map.of("bootstrap.servers", kafka.bootstrap(), "acks", "all", "enable.idempotence", "true",
        "compression.type", "lz4", "linger.ms", "5", "client.id", "postroom-ceiling-status");
  }
}
