package io.postroom.testkit.it;

import static io.postroom.testkit.it.Pipeline.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.PostfixRelay;
import io.postroom.testkit.SampleBulks;
import io.postroom.testkit.SampleJobs;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Postfix relay set up like the government relay: STARTTLS mandatory
 * before AUTH, TLS 1.2+, SASL PLAIN/LOGIN, SIZE 36700160, client-IP whitelist answering 554,
 * delivery into a maildir that the tests count.
 */
@IntegrationTest
class PostfixEndToEndTest {
  private static final Duration WAIT = Duration.ofMinutes(3);
  /** Relay connections (relays[].poolSize) of the dispatcher in the outage test. */
  private static final int POOL_SIZE = 8;
  /** Asks for these tests: they install Postfix if it is missing and rewrite /etc/postfix (as root). */
  static final String ASK_PROPERTY = "postroom.postfix";
  static final String ASK_VARIABLE = "POSTROOM_TEST_POSTFIX";
  /** The addressee of a delivered bulk mail: citizen n. */
  private static final Pattern ADDRESSEE = Pattern.compile("(?m)^To: .*citizen(\\d+)@example\\.org");
  private static PostfixRelay postfix;
  private Pipeline pipeline;

  /** -Dpostroom.postfix=true or POSTROOM_TEST_POSTFIX=1 (or true); .ci/run sets the variable. */
  static boolean asked() {
    String variable = System.getenv(ASK_VARIABLE);
    return Boolean.parseBoolean(System.getProperty(ASK_PROPERTY))
        || "1".equals(variable) || "true".equalsIgnoreCase(variable);
  }

  @BeforeAll
  static void setUpPostfix() {
    // a developer's `mvn verify` as root must not install Postfix and rewrite /etc/postfix unasked
    assumeTrue(asked(), "Postfix end-to-end tests not asked for: they install Postfix (as root, from the"
        + " distribution's packages) and rewrite /etc/postfix; run them with -D" + ASK_PROPERTY + "=true or "
        + ASK_VARIABLE + "=1, as .ci/run does");
    assertTrue(PostfixRelay.available(), "the Postfix end-to-end tests were asked for (-D" + ASK_PROPERTY
        + "=true or " + ASK_VARIABLE + "=1) but cannot run: they need root, and Postfix installed or apt-get");
    postfix = PostfixRelay.setUp(Pipeline.localhost().certPem(), Pipeline.localhost().keyPem(),
        Pipeline.USER, Pipeline.PASSWORD);
  }

  @BeforeEach
  void clearMaildir() {
    postfix.start();
    postfix.clear();
  }

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    postfix.start();
  }

  private Pipeline pipelineTo(int port) {
    pipeline = Pipeline.create("postfix");
    pipeline.settings.relay("localhost", port, Pipeline.USER, Pipeline.PASSWORD, Pipeline.localhost().caPem());
    return pipeline;
  }

  private static List<JsonObject> jobs(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> SampleJobs.valid(prefix + "-" + i, "billing", "citizen" + i + "@example.org"))
        .toList();
  }

  private static Set<String> sentMessageIds(OutcomeWatcher outcomes) {
    return outcomes.terminalEvents().stream().filter(e -> e.state() == State.SENT)
        .map(StatusEvent::messageId).collect(Collectors.toSet());
  }

  @Test
  void tenThousandJobsLandInTheMaildirExactlyOnceEach() {
    pipelineTo(postfix.whitelistedPort()).startDispatcher();

    pipeline.publish(jobs("bulk", 10_000));
    OutcomeWatcher outcomes = pipeline.awaitFinished(10_000, WAIT);

    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, 10_000));
    assertThat(postfix.awaitDelivered(10_000, Duration.ofSeconds(60))).as(postfix.logTail(20)).isTrue();
    List<String> delivered = postfix.deliveredMessageIds();
    assertThat(delivered).hasSize(10_000);
    assertThat(new HashSet<>(delivered)).hasSize(10_000).isEqualTo(sentMessageIds(outcomes));
  }

  /**
   * Issue 15's acceptance: 100 bulk records of 1,000 recipients (as the api cuts a large send), each
   * recipient one mail with its own name and amount, one SENT each, one file each in the maildir.
   */
  @Test
  void aHundredThousandRecipientBulkSendLandsPersonalisedInTheMaildirExactlyOnceEach() {
    int records = 100;
    int perRecord = 1_000;
    int recipients = records * perRecord;
    pipelineTo(postfix.whitelistedPort()).startDispatcher();
    long started = System.nanoTime();

    for (int r = 0; r < records; r++) {
      pipeline.publishRaw("pension-statement/1/" + (r + 1), SampleBulks.statement("pension-statement", "pensions",
          r * perRecord, (r + 1) * perRecord).encode().getBytes(StandardCharsets.UTF_8));
    }
    OutcomeWatcher outcomes = pipeline.awaitFinished(recipients, Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, recipients));
    assertThat(outcomes.terminalById()).hasSize(recipients);
    assertThat(postfix.awaitDelivered(recipients, Duration.ofSeconds(120))).as(postfix.logTail(20)).isTrue();
    List<String> delivered = postfix.deliveredMessageIds();
    assertThat(delivered).hasSize(recipients);
    assertThat(new HashSet<>(delivered)).hasSize(recipients).isEqualTo(sentMessageIds(outcomes));
    List<String> sample = postfix.deliveredSample(1_000);
    assertThat(sample).hasSize(1_000).allSatisfy(message -> {
      Matcher to = ADDRESSEE.matcher(message);
      assertThat(to.find()).as("a To header in %s", message).isTrue();
      int citizen = Integer.parseInt(to.group(1));
      assertThat(message).containsPattern("(?m)^Subject: Your statement, Citizen " + citizen + "\r?$")
          .contains(SampleBulks.greeting(citizen));
    });
    System.out.printf("bulk send through Postfix: %d recipients SENT and delivered in %.0f s (%.0f/s);"
        + " 1,000 delivered files checked against their addressee%n", recipients, seconds, recipients / seconds);
  }

  @Test
  void invalidJobsAreDeadLetteredWhileTheValidOnesAroundThemAreDelivered() {
    // below Kafka's default 1 MiB record limit, so that the oversize job can be published at all
    long maxMessageBytes = 200_000;
    pipelineTo(postfix.whitelistedPort());
    pipeline.settings.relayOption("maxMessageBytes", maxMessageBytes);
    pipeline.startDispatcher();
    List<SampleJobs.Invalid> invalid = SampleJobs.invalid("bad", "citizen@example.org", maxMessageBytes);

    for (int i = 0; i < invalid.size(); i++) {
      pipeline.publish(jobs("before-" + i, 5));
      pipeline.publishRaw(invalid.get(i).id(), invalid.get(i).bytes());
    }
    int valid = invalid.size() * 5;
    OutcomeWatcher outcomes = pipeline.awaitFinished(valid + invalid.size(), WAIT);

    assertThat(outcomes.count(State.SENT)).isEqualTo(valid);
    assertThat(outcomes.deadLetters()).extracting(OutcomeWatcher.DeadLetter::code)
        .containsExactlyInAnyOrderElementsOf(invalid.stream().map(bad -> bad.code().name()).toList());
    assertThat(postfix.awaitDelivered(valid, Duration.ofSeconds(30))).isTrue();
    assertThat(postfix.deliveredCount()).isEqualTo(valid);
  }

  @Test
  void postfixDownForTwentySecondsMidRunOpensTheCircuitAndEveryJobStillEndsExactlyOnce() throws Exception {
    pipelineTo(postfix.whitelistedPort());
    pipeline.settings.relayOption("poolSize", POOL_SIZE);
    pipeline.startDispatcher();
    int jobs = 3_000;

    pipeline.publish(jobs("outage", jobs));
    assertThat(eventually(WAIT, () -> pipeline.watcher().finished() >= jobs / 4)).isTrue();
    postfix.stop();
    // the dispatcher runs in this JVM: its events' times and these are read from the same clock
    Instant down = Instant.now();
    int finishedDuringOutage = pipeline.watcher().finished();
    Thread.sleep(20_000);
    String whileDown = pipeline.readiness().encode();
    String metricsWhileDown = pipeline.metrics();
    Instant up = Instant.now();
    postfix.start();
    long restarted = System.nanoTime();
    int finishedAtRestart = pipeline.watcher().finished();
    assertThat(eventually(WAIT, () -> pipeline.watcher().finished() > finishedAtRestart)).isTrue();
    double firstAfterRestart = (System.nanoTime() - restarted) / 1e9;
    OutcomeWatcher outcomes = pipeline.awaitFinished(jobs, WAIT);
    System.out.printf("Postfix back: first job finished %.1f s after its restart (circuit half-open probe, then"
        + " closed)%n", firstAfterRestart);

    assertThat(outcomes.terminalById()).hasSize(jobs).allSatisfy((id, events) -> {
      assertThat(events).hasSize(1);
      assertThat(events.get(0).state()).isEqualTo(State.SENT);
    });
    // a mail Postfix took twice (stopped before its 250 went out) counts in the maildir too: wait
    // for every sent Message-ID, not for a number of files
    Set<String> sent = sentMessageIds(outcomes);
    assertThat(eventually(Duration.ofSeconds(60), () -> new HashSet<>(postfix.deliveredMessageIds()).containsAll(sent)))
        .as("every sent message delivered to the maildir").isTrue();
    List<String> delivered = postfix.deliveredMessageIds();
    Set<String> distinct = new HashSet<>(delivered);
    // Jobs that ended while Postfix was down, by the time the dispatcher gave their outcome (not by
    // when this test's consumer read it, which lags by seconds on a busy machine): only a reply already
    // on its way when Postfix stopped can end a job then, at most one per relay connection
    long finishedWhileDown = outcomes.terminalEvents().stream()
        .filter(e -> e.at().isAfter(down) && e.at().isBefore(up)).count();
    System.out.printf("Postfix outage of 20 s: stopped after %d finished, %d finished while down; %d delivered, %d"
        + " distinct, %d twice; readiness while down: %s%n", finishedDuringOutage, finishedWhileDown, delivered.size(),
        distinct.size(), delivered.size() - distinct.size(), whileDown);
    assertThat(distinct).isEqualTo(sent);
    // the circuit is open, or half-open for the moment a probe takes to be refused
    assertThat(whileDown).contains("\"status\":\"DOWN\"").containsPattern("\"state\":\"(DOWN|PROBING)\"")
        .contains("lastOpening");
    assertThat(metricsWhileDown).containsPattern("postroom_relay_circuit_state\\{relay=\"primary\"} [12]\\.0")
        .containsPattern("postroom_partitions_paused [1-9]");
    assertThat(finishedWhileDown).as("jobs that finished while the relay was down: only sends already done")
        .isLessThanOrEqualTo(POOL_SIZE);
  }

  @Test
  void whileThePrimaryRelayIsDownTheImplicitTlsSecondaryTakesTheMail() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    pipelineTo(closedPort);
    pipeline.settings.addRelay(new JsonObject().put("name", "secondary").put("host", "localhost")
        .put("port", postfix.implicitTlsPort()).put("tls", "implicit")
        .put("username", Pipeline.USER).put("password", Pipeline.PASSWORD)
        .put("trustPem", Pipeline.localhost().caPem().toString()));
    pipeline.startDispatcher();

    pipeline.publish(jobs("failover", 200));
    OutcomeWatcher outcomes = pipeline.awaitFinished(200, WAIT);

    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, 200));
    assertThat(outcomes.terminalEvents()).extracting(StatusEvent::relay).containsOnly("secondary");
    assertThat(postfix.awaitDelivered(200, Duration.ofSeconds(30))).isTrue();
    assertThat(pipeline.readiness().getJsonArray("relays").getJsonObject(0).getString("lastOpening"))
        .contains("cannot connect");
  }

  @Test
  void afterAWrongPasswordIsFixedAndTheDispatcherRestartedEveryJobIsSentOnce() {
    pipeline = Pipeline.create("postfix");
    pipeline.settings.relay("localhost", postfix.whitelistedPort(), Pipeline.USER, "wrong", Pipeline.localhost().caPem());
    // One instance: the restarted dispatcher finds a backlog, and a second instance joining half a
    // second after the first has started sending hands over partitions with sends on the wire, which
    // may then reach Postfix twice (as the delivery guarantees allow); this test counts exactly once.
    pipeline.settings.env("POSTROOM_DISPATCHER_INSTANCES", "1");
    pipeline.startDispatcher();
    pipeline.publish(jobs("fixed-password", 50));
    assertThat(pipeline.awaitRelayFailure()).contains("535");
    pipeline.stopDispatcher();

    pipeline.settings.relay("localhost", postfix.whitelistedPort(), Pipeline.USER, Pipeline.PASSWORD,
        Pipeline.localhost().caPem());
    pipeline.startDispatcher();
    OutcomeWatcher outcomes = pipeline.awaitFinished(50, WAIT);

    assertThat(outcomes.terminalById()).hasSize(50).allSatisfy((id, events) -> {
      assertThat(events).hasSize(1);
      assertThat(events.get(0).state()).isEqualTo(State.SENT);
    });
    assertThat(postfix.awaitDelivered(50, Duration.ofSeconds(30))).isTrue();
    assertThat(postfix.deliveredCount()).isEqualTo(50);
  }

  @Test
  void aClientThatIsNotWhitelistedGetsThe554InPlainWordsAndNoJobFails() {
    pipelineTo(postfix.notWhitelistedPort()).startDispatcher();

    pipeline.publish(jobs("stranger", 5));

    String failure = pipeline.awaitRelayFailure();
    assertThat(failure).contains("554").containsIgnoringCase("whitelist");
    assertThat(pipeline.watcher().finished()).isZero();
    assertThat(postfix.deliveredCount()).isZero();
  }

  @Test
  void aWrongPasswordIsReportedAsACredentialsProblem() {
    pipeline = Pipeline.create("postfix");
    pipeline.settings.relay("localhost", postfix.whitelistedPort(), Pipeline.USER, "wrong", Pipeline.localhost().caPem());
    pipeline.startDispatcher();

    pipeline.publish(jobs("wrong-password", 5));

    String failure = pipeline.awaitRelayFailure();
    assertThat(failure).contains("535").containsIgnoringCase("credentials");
    assertThat(pipeline.watcher().finished()).isZero();
    assertThat(postfix.deliveredCount()).isZero();
  }

  @Test
  void theImplicitTlsPortTakesMailLikeThe465OfTheGovernmentRelay() {
    pipelineTo(postfix.implicitTlsPort());
    pipeline.settings.env("POSTROOM_RELAY_TLS", "implicit");
    pipeline.startDispatcher();

    pipeline.publish(jobs("implicit", 50));
    OutcomeWatcher outcomes = pipeline.awaitFinished(50, WAIT);

    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, 50));
    assertThat(postfix.awaitDelivered(50, Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void refusedRecipientsFailTheirJobsAndAPoolOfOneKeepsDeliveringTheRest() {
    pipelineTo(postfix.whitelistedPort());
    pipeline.settings.env("POSTROOM_RELAY_POOL_SIZE", "1");
    pipeline.startDispatcher();
    List<JsonObject> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(SampleJobs.valid("unknown-" + i, "billing", "nobody@example.org"));
      batch.addAll(jobs("known-" + i, 5));
    }
    batch.add(SampleJobs.valid("partly", "billing", "citizen@example.org")
        .put("cc", new io.vertx.core.json.JsonArray().add("nobody@example.org")));

    pipeline.publish(batch);
    OutcomeWatcher outcomes = pipeline.awaitFinished(61, WAIT);

    assertThat(outcomes.terminalCounts()).containsEntry(State.FAILED, 10).containsEntry(State.SENT, 51);
    assertThat(outcomes.terminalEvents()).filteredOn(e -> e.state() == State.FAILED).allSatisfy(failed -> {
      assertThat(failed.smtpCode()).isEqualTo(550);
      assertThat(failed.enhancedCode()).isEqualTo("5.1.1");
      assertThat(failed.attempt()).isEqualTo(1);
    });
    assertThat(outcomes.terminalById().get("partly").get(0).rejectedRecipients()).containsExactly("nobody@example.org");
    assertThat(postfix.awaitDelivered(51, Duration.ofSeconds(30))).isTrue();
    assertThat(postfix.deliveredCount()).isEqualTo(51);
  }
}
