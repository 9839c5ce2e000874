package io.postroom.loadtest.load;

import io.postroom.contract.JobJsonBuilder;
import io.postroom.contract.cli.Cli;
import io.postroom.contract.cli.OptionValues;
import io.postroom.contract.cli.Progress;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.ConfigValues;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.process.StartFailure;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/postroom load}: publishes a bounded number of realistic jobs straight to
 * {@code mail.jobs} (see {@link LoadPlan}), paced to a rate if one is given, with its progress, and
 * prints what it did. Tenants take turns ({@code tenant-1..T}); one job in twenty is high priority,
 * one in four bulk; each has one recipient, a subject, a text of the given size and a campaign
 * header. Exit codes: 0 done, 1 stopped (Kafka unreachable or refused a job), 2 bad options.
 */
@Command(name = "bin/postroom load",
    sortOptions = false,
    description = {"Publishes N realistic jobs straight to mail.jobs, for load tests: tenants take turns, one job in",
        "twenty is high priority, one in four bulk; each has one recipient, a subject, a text of --size",
        "bytes and a campaign header.", ""},
    footer = {"", "Exit codes: 0 done; 1 Kafka unreachable, or it refused a job; 2 a bad option."})
public final class LoadCommand implements Callable<Integer> {
  static final long MAX_JOBS = 10_000_000L;

  @Spec
  private CommandSpec spec;

  @Option(names = "--jobs", paramLabel = "N", required = true,
      description = "how many jobs to publish (required; at most 10,000,000)")
  private long jobs;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "0", description = "jobs per second; 0: as fast as the broker takes them"
      + " (${DEFAULT-VALUE})")
  private double rate;

  @Option(names = "--tenants", paramLabel = "T", description = "tenants the jobs are spread over (${DEFAULT-VALUE})")
  private long tenants = 3;

  @Option(names = "--size", paramLabel = "BYTES", description = "bytes of text per job (${DEFAULT-VALUE})")
  private long size = 1024;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "the Kafka brokers (POSTROOM_KAFKA_BOOTSTRAP, else localhost:9092)")
  private String bootstrap;

  @Option(names = "--topic", paramLabel = "NAME", description = "the jobs topic (${DEFAULT-VALUE})")
  private String topic = KafkaSection.DEFAULT_JOBS_TOPIC;

  /** POSTROOM_KAFKA_BOOTSTRAP and POSTROOM_KAFKA_START_TIMEOUT. */
  private final Map<String, String> env;

  public LoadCommand(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    Cli.exit(new LoadCommand(System.getenv()), args);
  }

  /** The whole command on the console, without exiting: the exit code. */
  public static int run(String[] args, Map<String, String> env) {
    return Cli.run(new LoadCommand(env), args, System.out, System.err);
  }

  /** What the options ask for; a value out of its range is refused, naming the option. */
  LoadPlan plan() {
    String fromEnv = env.get("POSTROOM_KAFKA_BOOTSTRAP");
    String broker = bootstrap != null ? bootstrap : fromEnv == null || fromEnv.isBlank() ? "localhost:9092" : fromEnv;
    return new LoadPlan(OptionValues.range(spec, "--jobs", jobs, 1, MAX_JOBS),
        OptionValues.atLeast(spec, "--rate", rate, 0),
        (int) OptionValues.range(spec, "--tenants", tenants, 1, 10_000),
        (int) OptionValues.range(spec, "--size", size, 1, 30_000_000), broker, topic);
  }

  @Override
  public Integer call() {
    LoadPlan plan = plan();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // within seconds and in words: an unreachable broker or a missing topic, not a producer's 60 s timeout
    try (KafkaStartCheck check = KafkaStartCheck.reach(Map.of("bootstrap.servers", plan.bootstrap()),
        "--bootstrap or POSTROOM_KAFKA_BOOTSTRAP", ConfigValues.duration("POSTROOM_KAFKA_START_TIMEOUT",
            env.get("POSTROOM_KAFKA_START_TIMEOUT"), KafkaSection.DEFAULT_START_TIMEOUT))) {
      check.requireTopics(List.of(plan.topic()), "--topic");
    } catch (StartFailure e) {
      err.println("postroom load: " + e.getMessage());
      return Cli.FAILED;
    } catch (ConfigException e) {
      err.println("postroom load: configuration error: " + e.getMessage());
      return Cli.USAGE;
    }
    String runId = Long.toString(System.currentTimeMillis(), 36);
    AtomicLong handed = new AtomicLong();
    Published published;
    try (Progress progress = Progress.start("postroom load", "jobs", plan.jobs(), handed::get)) {
      published = publish(plan, runId, i -> handed.set(i + 1));
    }
    if (published.failure() != null) {
      err.printf("postroom load: stopped after %,d jobs: %s%n", published.jobs(), published.failure().getMessage());
      return Cli.FAILED;
    }
    out.printf("postroom load: published %,d jobs (run %s, %d tenants, %,d bytes of text each) to %s at %s"
        + " in %.1f s: %,.0f jobs/s%n", published.jobs(), runId, plan.tenants(), plan.size(), plan.topic(),
        plan.bootstrap(), published.seconds(), published.jobs() / published.seconds());
    return Cli.OK;
  }

  /** What a run published: the jobs Kafka acknowledged, in how long, and what stopped it early (or null). */
  public record Published(long jobs, double seconds, Exception failure) {
  }

  /** The {@code i}-th job of a run: valid for the dispatcher's validator, about {@code size} bytes of text. */
  public static JsonObject job(String runId, long i, LoadPlan plan) {
    String priority = i % 20 == 0 ? "high" : i % 4 == 1 ? "bulk" : "normal";
    String line = "Dear citizen, this is load test message " + i + ".\r\n";
    String text = line.repeat(plan.size() / line.length() + 1).substring(0, plan.size());
    return new JobJsonBuilder()
        .id(runId + "-" + i)
        .tenant("tenant-" + (i % plan.tenants() + 1))
        .from("Notifications <noreply@example.gov.in>")
        .to("citizen" + i + "@example.org")
        .subject("Load test " + runId + " #" + i)
        .text(text)
        .header("X-Campaign", "load-" + runId)
        .priority(priority)
        .toJson();
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
