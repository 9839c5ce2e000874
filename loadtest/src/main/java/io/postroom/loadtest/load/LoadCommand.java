package io.postroom.loadtest.load;

import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.ConfigValues;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.process.StartFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bin/postroom load}: publishes a bounded number of realistic jobs straight to
 * {@code mail.jobs} (see {@link LoadPlan} for the options), paced to a rate if one is given, and
 * prints what it did. Tenants take turns ({@code tenant-1..T}); one job in twenty is high priority,
 * one in four bulk; each has one recipient, a subject, a text of the given size and a campaign
 * header. Exit codes: 0 done, 1 stopped (Kafka refused a job), 2 bad arguments.
 */
public final class LoadCommand {
  private LoadCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv("POSTROOM_KAFKA_BOOTSTRAP")));
  }

  public static int run(String[] args, String bootstrapFromEnv) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println("usage: bin/postroom load --jobs N [--rate R] [--tenants T] [--size BYTES] [--bootstrap"
          + " HOST:PORT] [--topic NAME]\n\nPublishes N realistic jobs straight to mail.jobs (--rate 0: as fast as the"
          + " broker takes them); POSTROOM_KAFKA_BOOTSTRAP unless --bootstrap.");
      return 0;
    }
    LoadPlan plan;
    try {
      plan = LoadPlan.parse(Arrays.asList(args), bootstrapFromEnv);
    } catch (IllegalArgumentException e) {
      System.err.println("postroom load: " + e.getMessage());
      return 2;
    }
    // within seconds and in words: an unreachable broker or a missing topic, not a producer's 60 s timeout
    try (KafkaStartCheck check = KafkaStartCheck.reach(Map.of("bootstrap.servers", plan.bootstrap()),
        "--bootstrap or POSTROOM_KAFKA_BOOTSTRAP", ConfigValues.duration("POSTROOM_KAFKA_START_TIMEOUT",
            System.getenv("POSTROOM_KAFKA_START_TIMEOUT"), KafkaSection.DEFAULT_START_TIMEOUT))) {
      check.requireTopics(List.of(plan.topic()), "--topic");
    } catch (StartFailure e) {
      System.err.println("postroom load: " + e.getMessage());
      return 1;
    } catch (ConfigException e) {
      System.err.println("postroom load: configuration error: " + e.getMessage());
      return 2;
    }
    String runId = Long.toString(System.currentTimeMillis(), 36);
    Published published = publish(plan, runId, i -> { });
    if (published.failure() != null) {
      System.err.printf("postroom load: stopped after %,d jobs: %s%n", published.jobs(), published.failure().getMessage());
      return 1;
    }
    System.out.printf("postroom load: published %,d jobs (run %s, %d tenants, %,d bytes of text each) to %s at %s"
        + " in %.1f s: %,.0f jobs/s%n", published.jobs(), runId, plan.tenants(), plan.size(), plan.topic(),
        plan.bootstrap(), published.seconds(), published.jobs() / published.seconds());
    return 0;
  }

  /** What a run published: the jobs Kafka acknowledged, in how long, and what stopped it early (or null). */
  public record Published(long jobs, double seconds, Exception failure) {
  }

  /** The {@code i}-th job of a run: valid for the dispatcher's validator, about {@code size} bytes of text. */
  public static JsonObject job(String runId, long i, LoadPlan plan) {
    String priority = i % 20 == 0 ? "high" : i % 4 == 1 ? "bulk" : "normal";
    String line = "Dear citizen, this is load test message " + i + ".\r\n";
    String text = line.repeat(plan.size() / line.length() + 1).substring(0, plan.size());
    return new JsonObject()
        .put("id", runId + "-" + i)
        .put("tenant", "tenant-" + (i % plan.tenants() + 1))
        .put("from", "Notifications <noreply@example.gov.in>")
        .put("to", new JsonArray().add("citizen" + i + "@example.org"))
        .put("subject", "Load test " + runId + " #" + i)
        .put("text", text)
        .put("headers", new JsonObject().put("X-Campaign", "load-" + runId))
        .put("priority", priority);
  }

  /**
   * Publishes the plan's jobs with ids {@code runId-0} to {@code runId-(N-1)}, telling {@code sending}
   * the index of each job as it is handed to the producer.
   */
  public static Published publish(LoadPlan plan, String runId, LongConsumer sending) {
    Map<String, Object> props = Map.of("bootstrap.servers", plan.bootstrap(), "acks", "all",
        "enable.idempotence", "true", "linger.ms", "10", "batch.size", "262144", "compression.type", "lz4",
        "client.id", "postroom-load");
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long started = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
        new ByteArraySerializer())) {
      for (long i = 0; i < plan.jobs() && failure.get() == null; i++) {
        if (plan.rate() > 0) {
          long due = started + (long) (i / plan.rate() * 1e9);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        JsonObject job = job(runId, i, plan);
        sending.accept(i);
        producer.send(new ProducerRecord<>(plan.topic(), job.getString("id"),
            job.encode().getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              } else {
                acked.incrementAndGet();
              }
            });
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
    return new Published(acked.get(), (System.nanoTime() - started) / 1e9, failure.get());
  }
}
