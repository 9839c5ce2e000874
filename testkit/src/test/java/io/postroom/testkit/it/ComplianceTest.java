package io.postroom.testkit.it;

import static io.postroom.testkit.it.Pipeline.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceToken;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.compliance.UnsubscribeToken;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mail that is welcome, through a real broker and the STARTTLS+AUTH relay: what the relay receives
 * (VERP envelope sender, one-click unsubscribe headers) and how a suppression written to
 * {@code mail.suppressions} stops mail to an address at every dispatcher of the group, including
 * one started after it.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class ComplianceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String KEY_LINE = "k1 " + Base64.getEncoder().encodeToString(
      "an integration test's token secret!".getBytes(StandardCharsets.US_ASCII));
  private static final TokenKeys KEYS = TokenKeys.parse(KEY_LINE);
  private static final String BOUNCES = "bounces.postroom.test";
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private Pipeline compliantPipeline(Vertx vertx, String label, int partitions, SmtpRelay relay) throws IOException {
    pipeline = Pipeline.create(label, partitions).relay(relay);
    Path keys = Files.writeString(pipeline.dir().resolve("token-keys"), KEY_LINE + "\n");
    pipeline.settings.env("POSTROOM_TOKEN_KEYS_FILE", keys.toString())
        .env("POSTROOM_UNSUBSCRIBE_BASE_URL", "https://mail.example.gov.in")
        .env("POSTROOM_UNSUBSCRIBE_MAILTO", "unsubscribe@example.gov.in")
        .env("POSTROOM_BOUNCE_DOMAIN", BOUNCES)
        .env("POSTROOM_STATE_DIR", pipeline.dir().resolve("state").toString());
    return pipeline;
  }

  /** A bulk mail to asha, and the one-click of its link posted to the api as a mail client posts it. */
  private void unsubscribeThroughTheApi(ApiFixture api, SmtpRelay relay) {
    pipeline.publish(List.of(SampleJobs.valid("newsletter-1", "billing", "asha@example.org").put("priority", "bulk")));
    pipeline.awaitFinished(1, WAIT);
    Matcher link = Pattern.compile("List-Unsubscribe: <https://mail\\.example\\.gov\\.in(/u/[A-Za-z0-9._-]+)>")
        .matcher(relay.received().get(0).text());
    assertThat(link.find()).isTrue();
    assertThat(api.send("POST", link.group(1), null, "application/x-www-form-urlencoded",
        java.net.http.HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).statusCode()).isEqualTo(200);
  }

  @Test
  void bulkMailReachesTheRelayWithAVerpSenderAndAOneClickLinkForItsRecipient(Vertx vertx) throws IOException {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    compliantPipeline(vertx, "marks", 1, relay).startDispatcher();

    pipeline.publish(List.of(SampleJobs.valid("statement-1", "billing", "asha@example.org")
        .put("priority", "bulk").put("stream", "statements")));
    pipeline.awaitFinished(1, WAIT);

    ReceivedMail mail = relay.received().get(0);
    assertThat(BounceToken.read(KEYS, mail.from())).isEqualTo(BounceToken.messageRef(mail.messageId()));
    assertThat(mail.from()).endsWith("@" + BOUNCES);
    String text = mail.text();
    assertThat(text).contains("From: Billing <noreply@example.gov.in>");
    Matcher link = Pattern.compile("List-Unsubscribe: <https://mail\\.example\\.gov\\.in/u/([A-Za-z0-9._-]+)>")
        .matcher(text);
    assertThat(link.find()).as(text).isTrue();
    assertThat(UnsubscribeToken.open(KEYS, link.group(1)))
        .contains(new UnsubscribeToken("billing", "statements", "asha@example.org"));
    assertThat(text).contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  }

  /**
   * The one-click loop: the link in a delivered bulk mail, posted to the api as a mail client does
   * (RFC 8058), suppresses the address at every dispatcher of the group within seconds.
   */
  @Test
  void aOneClickFromADeliveredMailReachesEveryDispatcherOfTheGroupAndOneStartedLater(Vertx vertx)
      throws IOException {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    compliantPipeline(vertx, "suppress", 4, relay);
    pipeline.startDispatcher();
    pipeline.startAnotherDispatcher();
    pipeline.awaitGroupOf(2 * Pipeline.readiness(pipeline.dispatcher()).getInteger("instances"), WAIT);
    try (ApiFixture api = ApiFixture.behind(vertx, pipeline.dir(), pipeline)) {
      unsubscribeThroughTheApi(api, relay);
    }

    // jobs to the address until one ends SUPPRESSED: the suppression has reached the group
    int[] tries = {1};
    boolean reached = eventually(Duration.ofSeconds(20), () -> {
      String id = "probe-" + tries[0]++;
      pipeline.publish(List.of(SampleJobs.valid(id, "billing", "asha@example.org")));
      pipeline.awaitFinished(tries[0], WAIT);
      return pipeline.watcher().terminalEvents().stream().anyMatch(e -> e.state() == State.SUPPRESSED);
    });
    assertThat(reached).as("a job to the unsubscribed address ended SUPPRESSED within 20 s").isTrue();
    int relayedBefore = relay.count();

    // spread over 4 partitions, so over both dispatchers: none of them sends to the address any more
    List<JsonObject> after = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      after.add(SampleJobs.valid("after-" + i, "billing", i % 2 == 0 ? "ASHA@example.org" : "ben" + i + "@example.org"));
    }
    pipeline.publish(after);
    OutcomeWatcher outcomes = pipeline.awaitFinished(tries[0] + 40, WAIT);
    assertThat(outcomes.terminalEvents().stream().filter(e -> e.id().startsWith("after-")))
        .allSatisfy(e -> assertThat(e.state()).isEqualTo(
            Integer.parseInt(e.id().substring(6)) % 2 == 0 ? State.SUPPRESSED : State.SENT));
    assertThat(relay.count() - relayedBefore).as("only the 20 mails to others reached the relay").isEqualTo(20);

    // a dispatcher started now reads the list before it takes a job
    pipeline.stopOtherDispatchers().stopDispatcher();
    pipeline.publish(List.of(SampleJobs.valid("late", "billing", "asha@example.org")));
    pipeline.startDispatcher();
    OutcomeWatcher late = pipeline.awaitFinished(tries[0] + 41, WAIT);
    assertThat(late.terminalById().get("late")).extracting(StatusEvent::state).containsExactly(State.SUPPRESSED);
  }
}
