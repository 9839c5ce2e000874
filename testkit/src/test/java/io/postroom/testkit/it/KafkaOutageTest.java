package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.StatusEvent;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.DispatcherSettings;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults after the start, with a dispatcher process and a broker of this class's own that is
 * stopped and restarted on the same data directory: a short outage is ridden out, a long one ends
 * the process with the reason, and SIGTERM ends it within the grace period whatever is down.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class KafkaOutageTest {
  private static final int JOBS = 800;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final List<String> JVM = List.of("-Dlogback.configurationFile=logback.xml");
  private static KafkaBroker broker;
  private Pipeline pipeline;
  private DispatcherProcess child;

  @BeforeAll
  static void ownBroker() throws IOException {
    broker = KafkaBroker.start(Files.createTempDirectory("postroom-outage-kafka-"));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void brokerUp() {
    if (!broker.isRunning()) {
      broker.restart();
    }
  }

  @AfterEach
  void tearDown() {
    if (child != null && child.isAlive()) {
      child.kill();
    }
    if (!broker.isRunning()) {
      broker.restart();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private SmtpRelay slowRelay(Vertx vertx) {
    // a little latency per message, so that the run outlasts the outage
    return Pipeline.startRelay(vertx, Pipeline.relayOptions().latency(".", Duration.ofMillis(10)).build());
  }

  private void publishJobs() {
    pipeline.publish(IntStream.range(0, JOBS)
        .mapToObj(i -> SampleJobs.valid("job-" + i, "billing", "citizen" + i + "@example.org")).toList());
  }

  /**
   * A dispatcher process sending the jobs through a slow relay, {@code settings} over the common ones,
   * once a fifth of them have finished: the run goes on through what the test does next.
   */
  private void sendingThrough(Vertx vertx, String label, Consumer<DispatcherSettings> settings) {
    pipeline = Pipeline.create(label, 2, broker).relay(slowRelay(vertx));
    pipeline.settings.dispatch("maxInFlight", 64);
    settings.accept(pipeline.settings);
    publishJobs();
    child = startProcess();
    awaitSomeFinished();
  }

  private DispatcherProcess startProcess() {
    DispatcherProcess process = DispatcherProcess.launch(pipeline.settings, pipeline.dir(), JVM, List.of(), 0);
    process.awaitReady(Duration.ofSeconds(60));
    return process;
  }

  private void awaitSomeFinished() {
    assertThat(Pipeline.eventually(WAIT, () -> pipeline.watcher().finished() >= JOBS / 5))
        .as("jobs finished before the outage").isTrue();
  }

  private void assertEveryJobEndedExactlyOnce() {
    assertThat(child.isAlive()).as("the dispatcher runs; its log:\n" + child.logText()).isTrue();
    Map<String, List<StatusEvent>> byId = pipeline.awaitFinished(JOBS, WAIT).terminalById();
    assertThat(byId).hasSize(JOBS);
    assertThat(byId).allSatisfy((id, events) -> assertThat(events).as(id).hasSize(1));
  }

  @Test
  void aTwentySecondBrokerStopIsRiddenOutAndEveryJobEndsExactlyOnce(Vertx vertx) {
    // the broker's own stop and restart take seconds more on two busy cores: far from the tolerance
    sendingThrough(vertx, "outage", settings -> settings.kafka("outageTolerance", "180s"));

    long stopped = System.nanoTime();
    broker.stop();
    assertThat(child.awaitLog("has not answered for", Duration.ofSeconds(20))).as(child.logText()).isTrue();
    assertThat(child.httpStatus("/health/ready")).as("unready while Kafka is away").isEqualTo(503);
    assertThat(child.httpStatus("/health/live")).as("but alive").isEqualTo(200);
    sleep(Duration.ofSeconds(20).minus(Duration.ofNanos(System.nanoTime() - stopped)));
    broker.restart();
    System.out.printf("broker away for %d ms (stop, 20 s, restart)%n", (System.nanoTime() - stopped) / 1_000_000);

    assertEveryJobEndedExactlyOnce();
    assertThat(child.isAlive()).isTrue();
    assertThat(child.logText()).contains("answers again").doesNotContain("NetworkClient");
  }

  @Test
  void aBrokerGoneLongerThanTheToleranceEndsTheProcessWithExit1AndTheNextOneFinishesEveryJob(Vertx vertx) {
    sendingThrough(vertx, "outage-long",
        settings -> settings.dispatch("shutdownDeadline", "3s").kafka("outageTolerance", "6s")
            // the process that ended stays a member of the group the restarted broker loads until its
            // session times out (45 s by default): the next process's first rebalance waits for that
            .kafkaProperty("session.timeout.ms", "8000").kafkaProperty("heartbeat.interval.ms", "1000"));

    long stopped = System.nanoTime();
    broker.stop();
    FaultMatrix.Exit exit = FaultMatrix.exitAfter(child, "Kafka gone > outageTolerance 6 s", stopped,
        Duration.ofSeconds(40));

    assertThat(exit.code()).isEqualTo(1);
    assertThat(child.lastLine()).startsWith("postroom: dispatcher stopped: Kafka at " + broker.bootstrapServers()
        + " has not answered for").contains("longer than kafka.outageTolerance");
    // the tolerance, one check interval, and the bounded stop (shutdownDeadline + 10 s)
    assertThat(exit.took()).isLessThan(Duration.ofSeconds(6 + 2 + 13 + 5));

    broker.restart();
    child = startProcess();
    assertEveryJobEndedExactlyOnce();
  }

  @Test
  void sigtermDuringABrokerOutageEndsTheProcessWithinTheGracePeriod(Vertx vertx) {
    sendingThrough(vertx, "outage-sigterm",
        settings -> settings.dispatch("shutdownDeadline", "3s").kafka("outageTolerance", "60s"));
    broker.stop();
    assertThat(child.awaitLog("has not answered for", Duration.ofSeconds(20))).as(child.logText()).isTrue();

    FaultMatrix.Exit exit = FaultMatrix.sigterm(child, "Kafka outage", Duration.ofSeconds(30));

    assertThat(exit.took()).isLessThan(Duration.ofSeconds(3 + 10 + 3));
    assertThat(exit.code()).as("offsets could not be committed: not a clean stop").isEqualTo(1);
    assertThat(child.lastLine()).contains("did not stop within 13 s").contains("has not answered for");
  }

  @Test
  void sigtermWhileEveryRelayIsDownEndsTheProcessWithinTheGracePeriodWithExit0(Vertx vertx) {
    SmtpRelay relay = slowRelay(vertx);
    pipeline = Pipeline.create("relays-down", 2, broker).relay(relay);
    pipeline.settings.dispatch("maxInFlight", 64).dispatch("shutdownDeadline", "3s");
    child = startProcess();
    Pipeline.await(relay.close());
    publishJobs();
    assertThat(Pipeline.eventually(Duration.ofSeconds(30), () -> child.httpBody("/health/ready").contains("DOWN")
        && child.httpStatus("/health/ready") == 503)).as("unready while its relay is down").isTrue();

    FaultMatrix.Exit exit = FaultMatrix.sigterm(child, "relays down", Duration.ofSeconds(30));

    assertThat(exit.code()).isZero();
    assertThat(exit.took()).isLessThan(Duration.ofSeconds(3 + 10 + 3));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(Math.max(0, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
