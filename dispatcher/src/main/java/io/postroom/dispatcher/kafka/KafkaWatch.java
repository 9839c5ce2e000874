package io.postroom.dispatcher.kafka;

import io.postroom.contract.process.StartFailure;
import io.postroom.dispatcher.config.FaultTolerance;
import io.postroom.contract.config.KafkaSection;
import io.postroom.dispatcher.ops.Lifeline;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka answers a running dispatcher. Its clients cannot say so: they retry on their own
 * and log a warning per connection attempt, hundreds a minute. This asks the cluster once per
 * {@link FaultTolerance#kafkaCheckInterval interval}, from a thread of its own, and while Kafka
 * does not answer logs one line per interval in our words. Jobs wait meanwhile (nothing is lost:
 * their outcomes are written again until Kafka takes them, and offsets are committed after). Once
 * Kafka has not answered for longer than {@code kafka.outageTolerance}, it ends the process with
 * the reason: a restart, and the orchestrator's view of one, beats a dispatcher that waits forever.
 */
public final class KafkaWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWatch.class);

  private final String bootstrap;
  private final FaultTolerance faults;
  private final Lifeline lifeline;
  private final Admin admin;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "postroom-kafka-watch");
    t.setDaemon(true);
    return t;
  });
  /** Since when Kafka has not answered (System.nanoTime), or 0 while it answers. */
  private volatile long unreachableSince;
  private volatile String lastError;

  public KafkaWatch(KafkaSection kafka, FaultTolerance faults, Lifeline lifeline) {
    this.bootstrap = kafka.bootstrapServers();
    this.faults = faults;
    this.lifeline = lifeline;
    Map<String, Object> props = new HashMap<>(kafka.clientProperties("watch"));
    int interval = (int) faults.kafkaCheckInterval().toMillis();
    props.put("request.timeout.ms", Integer.toString(interval));
    props.put("default.api.timeout.ms", Integer.toString(interval));
    // a broker that went away is asked again soon after it is back
    props.putIfAbsent("reconnect.backoff.max.ms", "1000");
    this.admin = Admin.create(props);
  }

  /** Starts asking, once per interval; a watch closed already stays closed. */
  public void start() {
    long interval = faults.kafkaCheckInterval().toMillis();
    try {
      thread.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed by a stop that came first: nothing to watch
    }
  }

  /** Kafka answered the last question. */
  public boolean reachable() {
    return unreachableSince == 0;
  }

  /** How long Kafka has not answered; zero while it answers. */
  public Duration unreachableFor() {
    long since = unreachableSince;
    return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
  }

  public String lastError() {
    return lastError;
  }

  private void check() {
    long interval = faults.kafkaCheckInterval().toMillis();
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) interval)).nodes()
          .get(interval * 2, TimeUnit.MILLISECONDS);
      if (unreachableSince != 0) {
        LOG.info("Kafka at {} answers again after {} s", bootstrap, seconds(unreachableFor()));
        unreachableSince = 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      lastError = StartFailure.sentence(e);
      if (unreachableSince == 0) {
        // the question took an interval to fail: Kafka was gone at least that long
        unreachableSince = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(interval);
      }
      Duration gone = unreachableFor();
      if (gone.compareTo(faults.kafkaOutageTolerance()) > 0) {
        lifeline.end("Kafka at " + bootstrap + " has not answered for " + seconds(gone) + " s, longer than"
            + " kafka.outageTolerance (POSTROOM_KAFKA_OUTAGE_TOLERANCE, " + seconds(faults.kafkaOutageTolerance())
            + " s); unfinished jobs stay uncommitted and are sent by the next dispatcher; check the brokers and "
            + "POSTROOM_KAFKA_BOOTSTRAP");
      } else {
        LOG.warn("Kafka at {} has not answered for {} s ({}); jobs wait, nothing is lost; the dispatcher gives up"
            + " after {} s (kafka.outageTolerance)", bootstrap, seconds(gone), lastError,
            seconds(faults.kafkaOutageTolerance()));
      }
    }
  }

  private static long seconds(Duration duration) {
    return Math.round(duration.toMillis() / 1000.0);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    admin.close(Duration.ZERO);
  }
}
