package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scale-out on one machine: three dispatcher processes of two dispatcher instances each (six
 * consumers) in one consumer group on one broker and one STARTTLS+AUTH relay. Every job still ends
 * exactly once, a process killed with {@code kill -9} loses nothing and causes at most its in-flight
 * jobs to be delivered twice, and the group's rate limit holds for the six together. Each test has
 * its own topics and consumer group.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class ScaleOutTest {
  private static final int INSTANCES = 3;
  /** Dispatcher instances (verticles, each its own consumer) in each process. */
  private static final int PER_PROCESS = 2;
  /** Two partitions of each topic for each of the six consumers. */
  private static final int PARTITIONS = 12;
  private static final int JOBS = 3_000;
  private static final int MAX_IN_FLIGHT = 64;
  /** Bounds for waits that only a broken or badly overloaded machine reaches; no speed is asserted. */
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Duration START = Duration.ofSeconds(120);
  private static final Pattern SENT_COUNTER = Pattern.compile("(?m)^postroom_jobs_total\\{[^}]*state=\"SENT\"[^}]*} (\\S+)");
  private static final Pattern IN_FLIGHT_GAUGE = Pattern.compile("(?m)^postroom_jobs_in_flight(?:\\{[^}]*})? (\\S+)");
  private static final Pattern ASSIGNED_GAUGE = Pattern.compile("(?m)^postroom_partitions_assigned(?:\\{[^}]*})? (\\S+)");
  private static final Pattern RATE_GAUGE = Pattern.compile("(?m)^postroom_relay_rate_limit\\{relay=\"primary\"} (\\S+)");
  private static final Pattern MEDIAN_SEND_SECONDS =
      Pattern.compile("(?m)^postroom_send_seconds\\{outcome=\"sent\",relay=\"primary\",quantile=\"0.5\"} (\\S+)");

  private static final List<String> TENANTS = List.of("billing", "passwords", "permits", "taxes", "pensions", "elections");

  private final List<DispatcherProcess> processes = new ArrayList<>();
  private Pipeline pipeline;

  @BeforeAll
  static void startBroker() {
    // one broker for the three tests (and the JVM); started here so that no test's time includes it
    KafkaBroker.shared();
  }

  @AfterEach
  void tearDown() {
    processes.forEach(DispatcherProcess::close);
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private DispatcherProcess startProcess() {
    pipeline.settings.env("POSTROOM_DISPATCHER_INSTANCES", Integer.toString(PER_PROCESS));
    DispatcherProcess process = DispatcherProcess.start(pipeline.settings, pipeline.dir(), START);
    processes.add(process);
    return process;
  }

  /** Starts {@link #INSTANCES} dispatchers and waits until the group has settled with all of them reading. */
  private void startGroup() {
    long started = System.nanoTime();
    for (int i = 0; i < INSTANCES; i++) {
      startProcess();
    }
    pipeline.awaitGroupOf(INSTANCES * PER_PROCESS, START);
    System.out.printf("group of %d dispatchers formed in %.1f s%n", INSTANCES, (System.nanoTime() - started) / 1e9);
  }

  /**
   * Jobs of several tenants: a job waiting for room in its tenant's lane is parked on a lane topic
   * partition chosen by its tenant, so one tenant alone would leave the instances that own none of
   * its lane partitions idle.
   */
  private void publishJobs(String prefix, int count) {
    pipeline.publish(IntStream.range(0, count)
        .mapToObj(i -> SampleJobs.valid(prefix + "-" + i, TENANTS.get(i % TENANTS.size()), "citizen" + i + "@example.org"))
        .toList());
  }

  /** The first value {@code pattern} finds in the process's /metrics; NaN when there is none. */
  private static double metric(DispatcherProcess process, Pattern pattern) {
    Matcher m = pattern.matcher(process.metrics());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static long count(DispatcherProcess process, Pattern pattern) {
    double value = metric(process, pattern);
    return Double.isNaN(value) ? 0 : (long) value;
  }

  /**
   * Waits until {@code jobs} distinct jobs have a terminal event (a second event for one job must not
   * count as another job's), then until the relay and the status topic have been quiet for a second,
   * so that a late second event or message is seen too.
   */
  private OutcomeWatcher awaitEveryJobTerminal(SmtpRelay relay, int jobs) {
    OutcomeWatcher outcomes = pipeline.watcher();
    if (!Pipeline.eventually(WAIT, () -> outcomes.terminalById().size() >= jobs)) {
      throw new AssertionError("only " + outcomes.terminalById().size() + " of " + jobs + " jobs ended within "
          + WAIT + "; terminal events so far " + outcomes.terminalCounts());
    }
    long[] last = {-1, -1, System.nanoTime()};
    Pipeline.eventually(Duration.ofSeconds(15), () -> {
      long events = outcomes.events().size();
      long messages = relay.count();
      if (events != last[0] || messages != last[1]) {
        last[0] = events;
        last[1] = messages;
        last[2] = System.nanoTime();
      }
      return System.nanoTime() - last[2] > TimeUnit.SECONDS.toNanos(1);
    });
    return outcomes;
  }

  /** Jobs whose terminal events on the status topic are not exactly one SENT, with those events. */
  private static List<String> notSentExactlyOnce(OutcomeWatcher outcomes) {
    return outcomes.terminalById().entrySet().stream()
        .filter(job -> !job.getValue().stream().map(StatusEvent::state).toList().equals(List.of(State.SENT)))
        .map(job -> job.getKey() + "=" + job.getValue().stream().map(e -> e.state() + "@" + e.at()).toList())
        .sorted().toList();
  }

  /** Every job of the run has exactly one terminal event on the status topic, and it is SENT. */
  private static void assertEachSentExactlyOnce(OutcomeWatcher outcomes, int jobs) {
    assertThat(outcomes.terminalById().size()).as("jobs with a terminal event").isEqualTo(jobs);
    assertThat(notSentExactlyOnce(outcomes)).as("jobs whose terminal events are not exactly one SENT").isEmpty();
  }

  @Test
  void threeDispatchersInOneGroupEndEveryJobInExactlyOneTerminalState(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("scale-three", PARTITIONS).relay(relay);
    pipeline.settings.dispatch("maxInFlight", MAX_IN_FLIGHT);
    startGroup();

    long started = System.nanoTime();
    publishJobs("three", JOBS);
    OutcomeWatcher outcomes = awaitEveryJobTerminal(relay, JOBS);
    double seconds = (System.nanoTime() - started) / 1e9;

    List<Long> sentBy = processes.stream().map(p -> count(p, SENT_COUNTER)).toList();
    System.out.printf("%d dispatchers: %d jobs terminal in %.1f s (%.0f/s), %d of them not with exactly one SENT"
            + " event; sent per instance %s; relay got %d messages, %d distinct%n", INSTANCES,
        outcomes.terminalById().size(), seconds, JOBS / seconds, notSentExactlyOnce(outcomes).size(), sentBy,
        relay.count(), relay.distinctMessageIds().size());
    assertEachSentExactlyOnce(outcomes, JOBS);
    assertThat(relay.count()).as("messages the relay got").isEqualTo(JOBS);
    assertThat(relay.distinctMessageIds()).hasSize(JOBS);
    assertThat(sentBy).as("jobs each instance sent").allSatisfy(n -> assertThat(n).isPositive());
    assertThat(sentBy.stream().mapToLong(Long::longValue).sum()).as("jobs the instances sent in all").isEqualTo(JOBS);
  }

  @Test
  void oneOfThreeKilledMidRunAndAnotherStartedLosesNoJobAndDuplicatesStayWithinItsInFlightBound(Vertx vertx) {
    // a little latency per message so that the run lasts long enough to be interrupted
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().latency(".", Duration.ofMillis(5)).build());
    pipeline = Pipeline.create("scale-kill9", PARTITIONS).relay(relay);
    pipeline.settings.dispatch("maxInFlight", MAX_IN_FLIGHT)
        // the killed member holds its partitions until its session times out (45 s by default)
        .kafkaProperty("session.timeout.ms", "8000").kafkaProperty("heartbeat.interval.ms", "1000");
    startGroup();

    long started = System.nanoTime();
    publishJobs("kill9", JOBS);
    assertThat(Pipeline.eventually(WAIT, () -> pipeline.watcher().finished() >= JOBS / 3)).isTrue();
    // the member reading the most partitions: the most jobs in flight, and the most partitions to hand over
    DispatcherProcess victim = processes.stream()
        .max(Comparator.comparingLong(p -> count(p, ASSIGNED_GAUGE))).orElseThrow();
    long victimPartitions = count(victim, ASSIGNED_GAUGE);
    long victimSent = count(victim, SENT_COUNTER);
    long victimInFlight = count(victim, IN_FLIGHT_GAUGE);
    victim.kill();
    int finishedAtKill = pipeline.watcher().finished();
    assertThat(finishedAtKill).as("jobs finished when one instance was killed").isLessThan(JOBS);
    assertThat(victimSent).as("jobs the killed instance had sent").isPositive();
    startProcess();
    pipeline.awaitGroupOf(INSTANCES * PER_PROCESS, START);

    OutcomeWatcher outcomes = awaitEveryJobTerminal(relay, JOBS);
    double seconds = (System.nanoTime() - started) / 1e9;
    boolean committed = Pipeline.eventually(Duration.ofSeconds(10), () -> pipeline.uncommitted() == 0);

    int duplicates = relay.count() - relay.distinctMessageIds().size();
    System.out.printf("%d dispatchers, one killed (kill -9) after %d of %d jobs finished (it read %d partitions,"
            + " had sent %d, %d in flight), another started: %d jobs terminal in %.1f s, %d of them not with exactly"
            + " one SENT event; relay got %d messages, %d distinct: %d duplicates (in-flight bound %d)%n", INSTANCES,
        finishedAtKill, JOBS, victimPartitions, victimSent, victimInFlight, outcomes.terminalById().size(), seconds,
        notSentExactlyOnce(outcomes).size(), relay.count(), relay.distinctMessageIds().size(), duplicates,
        MAX_IN_FLIGHT);
    SoftAssertions.assertSoftly(softly -> {
      softly.assertThat(outcomes.terminalById().size()).as("jobs with a terminal event").isEqualTo(JOBS);
      softly.assertThat(relay.distinctMessageIds()).as("distinct messages the relay got").hasSize(JOBS);
      softly.assertThat(duplicates).as("messages the relay got twice").isBetween(0, MAX_IN_FLIGHT);
      softly.assertThat(notSentExactlyOnce(outcomes)).as("jobs whose terminal events are not exactly one SENT")
          .isEmpty();
      softly.assertThat(committed).as("every offset of the jobs topic committed").isTrue();
    });
  }

  @Test
  void threeDispatchersTogetherHoldTheGroupRateLimit(Vertx vertx) throws InterruptedException {
    final int rate = 60;
    // left out at the start: the first permit of each instance comes at once, and connections open
    final Duration settle = Duration.ofSeconds(5);
    final Duration window = Duration.ofSeconds(20);
    // every partition keeps a backlog past the end of the window (checked below)
    final int jobs = rate * (int) (settle.toSeconds() + window.toSeconds() + 7);
    // relay connections per process (POSTROOM_RELAY_POOL_SIZE), named because the bounds below use it
    final int poolSize = 8;
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("scale-rate", PARTITIONS).relay(relay);
    pipeline.settings.env("POSTROOM_RATE_LIMIT", Integer.toString(rate))
        .env("POSTROOM_RELAY_POOL_SIZE", Integer.toString(poolSize));
    startGroup();

    publishJobs("rate", jobs);
    assertThat(Pipeline.eventually(WAIT, () -> relay.count() > 0)).as("the relay got a first message").isTrue();
    Thread.sleep(settle.toMillis());
    double seconds;
    Duration stalled;
    int countFrom;
    int countTo;
    try (Stalls stalls = Stalls.start()) {
      Instant fromAt = Instant.now();
      long from = System.nanoTime();
      countFrom = relay.count();
      Thread.sleep(window.toMillis());
      countTo = relay.count();
      seconds = (System.nanoTime() - from) / 1e9;
      stalled = stalls.between(fromAt, Instant.now());
    }
    List<Double> inFlightAtEnd = processes.stream().map(p -> metric(p, IN_FLIGHT_GAUGE)).toList();
    List<Double> shares = processes.stream().map(p -> metric(p, RATE_GAUGE)).toList();
    List<Double> sendSeconds = processes.stream().map(p -> metric(p, MEDIAN_SEND_SECONDS)).toList();
    int accepted = countTo - countFrom;
    // Never above the limit: the relay counts a message when it takes it, so a send whose permit came
    // before the window may land in it, and after a stall the permits already reserved fire together;
    // either needs a job holding a relay connection (poolSize per process), and each instance's
    // limiter starts with one permit.
    long atMost = (long) Math.ceil(rate * seconds) + (long) INSTANCES * (poolSize + PER_PROCESS);
    // At the limit for every second this JVM ran: a stall costs a paced limiter at most its length in
    // permits (Stalls). The relay runs in this JVM; the dispatcher processes share its cores at its
    // nice level, so its stalls stand for theirs. Less the sends in flight at the end (poolSize each).
    long atLeast = (long) Math.floor(rate * (seconds - stalled.toMillis() / 1000.0)) - (long) INSTANCES * poolSize;
    System.out.printf("rate limit %d/s for the group, %d dispatchers (shares %s/s): relay accepted %d messages"
            + " in %.1f s = %.2f/s (bounds %d..%d; this JVM stalled %s); at the end of the window jobs in flight"
            + " per instance %s, median send %s s%n", rate, INSTANCES, shares, accepted, seconds, accepted / seconds,
        atLeast, atMost, stalled, inFlightAtEnd, sendSeconds);

    assertThat(inFlightAtEnd).as("every instance still had jobs at the end of the window (a steady window)")
        .allSatisfy(n -> assertThat(n).isPositive());
    assertThat(shares.stream().mapToDouble(Double::doubleValue).sum()).as("the instances' shares of the limit")
        .isCloseTo(rate, within(0.01));
    assertThat((long) accepted).as("messages the relay accepted in %.1f s", seconds).isBetween(atLeast, atMost);
    assertEachSentExactlyOnce(awaitEveryJobTerminal(relay, jobs), jobs);
  }
}
