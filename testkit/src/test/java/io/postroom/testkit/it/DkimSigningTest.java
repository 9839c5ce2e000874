package io.postroom.testkit.it;

import static io.postroom.testkit.it.Pipeline.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.DkimFixture;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DKIM signing through the real pipeline (Kafka, the dispatcher, the STARTTLS+AUTH relay), every
 * delivered message checked by an independent implementation: Debian's python3-dkim.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class DkimSigningTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BILLING_DOMAIN = "example.gov.in";
  private static final String ALERTS_DOMAIN = "alerts.example.org";
  private Pipeline pipeline;
  private DkimFixture billingKeys;
  private DkimFixture alertsKeys;

  @BeforeEach
  void keys() throws Exception {
    assertThat(DkimFixture.verifierInstalled())
        .as("the independent verifier: apt-get install python3-dkim (run as /usr/bin/python3)").isTrue();
    Path dir = Files.createTempDirectory("postroom-dkim-");
    billingKeys = DkimFixture.in(dir.resolve("billing"));
    alertsKeys = DkimFixture.in(dir.resolve("alerts"));
    billingKeys.addKey(BILLING_DOMAIN, "s2026-06");
    alertsKeys.addKey(ALERTS_DOMAIN, "s1");
  }

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** billing sends unsigned what it has no key for; alerts refuses to. Keys are read again every 300 ms. */
  private Pipeline signingPipeline(String label) {
    Pipeline made = Pipeline.create(label);
    made.settings.dkim("rescanInterval", "300ms")
        .tenant("billing", new JsonObject().put("dkim", new JsonObject()
            .put("keysDir", billingKeys.keysDir().toString()).put("whenMissing", "send")))
        .tenant("alerts", new JsonObject().put("dkim", new JsonObject()
            .put("keysDir", alertsKeys.keysDir().toString()).put("whenMissing", "reject")));
    return made;
  }

  private static JsonObject billingJob(String id) {
    return SampleJobs.valid(id, "billing", "citizen-" + id + "@example.org");
  }

  private static JsonObject alertsJob(String id, String domain) {
    return SampleJobs.valid(id, "alerts", "citizen-" + id + "@example.org")
        .put("from", "Alerts <alerts@" + domain + ">");
  }

  private static List<byte[]> raw(List<ReceivedMail> mails) {
    return mails.stream().map(ReceivedMail::data).toList();
  }

  @Test
  void mailOfTwoTenantsVerifiesIndependentlyAndANewSelectorIsUsedWhileRunning(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = signingPipeline("dkim").relay(relay).startDispatcher();
    List<JsonObject> jobs = new ArrayList<>();
    IntStream.range(0, 5).forEach(i -> jobs.add(billingJob("b-" + i)));
    IntStream.range(0, 5).forEach(i -> jobs.add(alertsJob("a-" + i, ALERTS_DOMAIN)));
    // an empty body: vertx-mail-client's relaxed body hash of an empty body needs care (docs/dkim.md)
    jobs.add(billingJob("b-empty").put("text", "").putNull("html"));
    pipeline.publish(jobs);
    pipeline.awaitFinished(jobs.size(), WAIT);

    DkimFixture.Verdict before = billingKeys.verify(raw(relay.received().stream()
        .filter(mail -> mail.text().contains("d=" + BILLING_DOMAIN)).toList()));
    DkimFixture.Verdict alerts = alertsKeys.verify(raw(relay.received().stream()
        .filter(mail -> mail.text().contains("d=" + ALERTS_DOMAIN)).toList()));
    assertThat(pipeline.watcher().terminalCounts()).containsEntry(State.SENT, jobs.size());
    assertThat(before.lines()).hasSize(6);
    assertThat(before.allVerified()).as(String.join("\n", before.lines())).isTrue();
    assertThat(before.selectors()).containsOnly("s2026-06");
    assertThat(alerts.lines()).hasSize(5);
    assertThat(alerts.allVerified()).as(String.join("\n", alerts.lines())).isTrue();

    billingKeys.addKey(BILLING_DOMAIN, "s2026-12");
    int sentBeforeRotation = relay.count();
    int[] next = {0};
    boolean rotated = eventually(WAIT, () -> {
      pipeline.publish(List.of(billingJob("r-" + next[0]++)));
      pipeline.awaitFinished(jobs.size() + next[0], WAIT);
      List<ReceivedMail> received = relay.received();
      return received.get(received.size() - 1).text().contains("s=s2026-12;");
    });
    assertThat(rotated).as("a mail signed with the new selector within " + WAIT).isTrue();
    List<ReceivedMail> all = relay.received().stream()
        .filter(mail -> mail.text().contains("d=" + BILLING_DOMAIN)).toList();
    DkimFixture.Verdict after = billingKeys.verify(raw(all));

    assertThat(after.allVerified()).as(String.join("\n", after.lines())).isTrue();
    assertThat(after.selectors()).startsWith("s2026-06").endsWith("s2026-12");
    assertThat(relay.count()).isGreaterThan(sentBeforeRotation);
    assertThat(pipeline.metrics()).contains("postroom_dkim_signed_total{domain=\"" + BILLING_DOMAIN
        + "\",tenant=\"billing\"}");
  }

  @Test
  void aJobFromADomainWithoutAKeyIsRejectedWhenItsTenantRefusesUnsignedMail(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = signingPipeline("dkim-reject").relay(relay).startDispatcher();

    pipeline.publish(List.of(alertsJob("no-key", "nokey.example.org"), billingJob("unsigned")
        .put("from", "Billing <noreply@nokey.example.org>")));
    pipeline.awaitFinished(2, WAIT);

    StatusEvent rejected = pipeline.watcher().terminalById().get("no-key").get(0);
    assertThat(rejected.state()).isEqualTo(State.REJECTED);
    assertThat(rejected.errorCode()).isEqualTo(ErrorCode.DKIM_NOT_CONFIGURED);
    assertThat(rejected.error()).contains("tenant alerts").contains("nokey.example.org");
    assertThat(pipeline.watcher().deadLetters()).extracting(letter -> letter.code())
        .containsExactly(ErrorCode.DKIM_NOT_CONFIGURED.name());
    assertThat(pipeline.watcher().terminalById().get("unsigned").get(0).state()).isEqualTo(State.SENT);
    assertThat(relay.received()).singleElement().satisfies(mail -> assertThat(mail.text()).doesNotContain("DKIM-Signature"));
    assertThat(pipeline.metrics()).contains("postroom_dkim_unsigned_total{domain=\"nokey.example.org\",tenant=\"billing\"} 1.0");
  }

  @Test
  void aRelayWhoseCertificateNamesAnotherHostIsRefusedBySigningClientsAlsoAfterARotation(Vertx vertx)
      throws Exception {
    Certificates wrongHost = Certificates.create(Files.createTempDirectory("wrong-host-"), "wrong.example");
    SmtpRelay impostor = Pipeline.startRelay(vertx, Pipeline.relayOptions().certificates(wrongHost).build());
    pipeline = signingPipeline("dkim-wrong-host");
    // trust the impostor's CA: only the host name is wrong, so only hostname verification can refuse it
    pipeline.settings.relay("localhost", impostor.port(), Pipeline.USER, Pipeline.PASSWORD, wrongHost.caPem());
    pipeline.startDispatcher();

    pipeline.publish(IntStream.range(0, 5).mapToObj(i -> billingJob("w-" + i)).toList());
    String failure = pipeline.awaitRelayFailure();
    billingKeys.addKey(BILLING_DOMAIN, "s2026-12");
    int connectionsAtRotation = impostor.connections();
    // the relay is probed again and again (relayBackoffMax 2 s), each probe signed with the newest key
    boolean probedAfterRotation = eventually(WAIT, () -> impostor.connections() >= connectionsAtRotation + 2);

    assertThat(failure).containsIgnoringCase("certificate");
    assertThat(probedAfterRotation).isTrue();
    assertThat(impostor.transcript()).extracting(SmtpRelay.Command::verb).doesNotContain("AUTH", "MAIL");
    assertThat(impostor.count()).isZero();
  }
}
