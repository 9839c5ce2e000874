package io.postroom.testkit.it;

import static io.postroom.testkit.it.Pipeline.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Relay-level failures: nothing goes out in clear or to the wrong host, the cause is said in plain
 * words, no attempt is used and no job is lost; once the relay is right, every job is sent once.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class RelaySecurityTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int JOBS = 20;
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private void publishJobs() {
    pipeline.publish(IntStream.range(0, JOBS)
        .mapToObj(i -> SampleJobs.valid("job-" + i, "billing", "citizen" + i + "@example.org")).toList());
  }

  /** A dispatcher that logs in to {@code relay} with a wrong password, the jobs published: the failure it reports. */
  private String wrongPasswordFailure(String label, SmtpRelay relay) {
    pipeline = Pipeline.create(label);
    pipeline.settings.relay("localhost", relay.port(), Pipeline.USER, "not the password", Pipeline.localhost().caPem());
    pipeline.startDispatcher();
    publishJobs();
    return pipeline.awaitRelayFailure();
  }

  /**
   * Replaces a bad relay by a good one on the same port (one outside the ephemeral range), then
   * checks every job is sent exactly once.
   */
  private void fixRelayAndExpectEveryJobSentOnce(Vertx vertx, SmtpRelay bad) {
    OutcomeWatcher outcomes = pipeline.watcher();
    assertThat(outcomes.finished()).as("no job finished while the relay was unusable").isZero();
    Pipeline.await(bad.close());
    SmtpRelay good = Pipeline.startRelay(vertx, Pipeline.relayOptions().port(bad.port()).build());
    pipeline.awaitFinished(JOBS, WAIT);
    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, JOBS));
    assertThat(outcomes.events()).extracting(e -> e.attempt()).containsOnly(1);
    assertThat(good.count()).isEqualTo(JOBS);
  }

  @Test
  void aRelayThatDoesNotOfferStartTlsGetsNeitherCredentialsNorMail(Vertx vertx) {
    SmtpRelay noStartTls = Pipeline.startRelay(vertx, Pipeline.relayOptions()
        .port(Pipeline.portOutsideEphemeralRange())
        .advertiseStartTls(false).requireTls(false).offerAuthInClear(true).build());
    pipeline = Pipeline.create("no-starttls").relay(noStartTls).startDispatcher();

    publishJobs();
    String failure = pipeline.awaitRelayFailure();

    assertThat(failure).contains("STARTTLS").contains("refusing");
    assertThat(noStartTls.connections()).isPositive();
    assertThat(noStartTls.authSeenInClear()).isFalse();
    assertThat(noStartTls.mailSeenInClear()).isFalse();
    assertThat(noStartTls.count()).isZero();
    fixRelayAndExpectEveryJobSentOnce(vertx, noStartTls);
  }

  @Test
  void aRelayWhoseCertificateNamesAnotherHostIsRefused(Vertx vertx) throws Exception {
    Certificates wrongHost = Certificates.create(Files.createTempDirectory("wrong-host-"), "wrong.example");
    SmtpRelay impostor = Pipeline.startRelay(vertx, Pipeline.relayOptions().certificates(wrongHost).build());
    pipeline = Pipeline.create("wrong-host");
    // trust the impostor's CA: only the host name is wrong, so only hostname verification can refuse it
    pipeline.settings.relay("localhost", impostor.port(), Pipeline.USER, Pipeline.PASSWORD, wrongHost.caPem());
    pipeline.startDispatcher();

    publishJobs();
    String failure = pipeline.awaitRelayFailure();

    assertThat(failure).containsIgnoringCase("certificate");
    assertThat(impostor.transcript()).extracting(SmtpRelay.Command::verb).doesNotContain("AUTH", "MAIL");
    assertThat(impostor.count()).isZero();
  }

  @Test
  void aWrongPasswordIsReportedAsACredentialsProblem(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());

    String failure = wrongPasswordFailure("wrong-password", relay);

    assertThat(failure).contains("535").containsIgnoringCase("credentials");
    assertThat(relay.count()).isZero();
    assertThat(pipeline.watcher().finished()).isZero();
  }

  @Test
  void aClientThatIsNotWhitelistedIsToldSoInPlainWords(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions()
        .port(Pipeline.portOutsideEphemeralRange())
        .greetingReject("554 5.7.1 <127.0.0.1>: Client host rejected: not whitelisted").build());
    pipeline = Pipeline.create("not-whitelisted").relay(relay).startDispatcher();

    publishJobs();
    String failure = pipeline.awaitRelayFailure();

    assertThat(failure).contains("554").containsIgnoringCase("whitelist");
    assertThat(relay.count()).isZero();
    fixRelayAndExpectEveryJobSentOnce(vertx, relay);
  }

  @Test
  void anImplicitTlsRelayOnItsOwnPortIsUsedLikePort465(Vertx vertx) {
    SmtpRelay implicit = Pipeline.startRelay(vertx, Pipeline.relayOptions().implicitTls(true).build());
    pipeline = Pipeline.create("implicit").relay(implicit);
    pipeline.settings.env("POSTROOM_RELAY_TLS", "implicit");
    pipeline.startDispatcher();

    publishJobs();
    OutcomeWatcher outcomes = pipeline.awaitFinished(JOBS, WAIT);

    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, JOBS));
    assertThat(implicit.received()).hasSize(JOBS).allSatisfy(mail -> assertThat(mail.tls()).isTrue());
    assertThat(implicit.transcript()).extracting(SmtpRelay.Command::verb).doesNotContain("STARTTLS");
  }

  @Test
  void relayTroubleShowsInTheMetrics(Vertx vertx) {
    wrongPasswordFailure("metrics", Pipeline.startRelay(vertx, Pipeline.relayOptions().build()));

    assertThat(pipeline.metrics()).contains("postroom_relay_up{relay=\"primary\"} 0.0")
        .contains("postroom_send_seconds_count{outcome=\"relay\",relay=\"primary\"}");
    assertThat(List.of(pipeline.readiness().getBoolean("kafkaGroupJoined"))).containsExactly(true);
  }
}
