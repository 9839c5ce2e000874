package io.postroom.testkit.it;

import static io.postroom.testkit.it.Pipeline.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Jobs through a real Kafka broker and a relay that requires STARTTLS and AUTH: the outcomes, counted. */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class DispatchTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static List<JsonObject> jobs(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> SampleJobs.valid(prefix + "-" + i, "billing", "citizen" + i + "@example.org"))
        .toList();
  }

  @Test
  void everyValidJobIsSentOnceOverTlsWithItsOwnMessageIdAndCommitted(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("sent").relay(relay).startDispatcher();

    pipeline.publish(jobs("job", 2_000));
    OutcomeWatcher outcomes = pipeline.awaitFinished(2_000, WAIT);

    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, 2_000));
    assertThat(outcomes.terminalById()).hasSize(2_000).allSatisfy((id, events) -> assertThat(events).hasSize(1));
    assertThat(relay.count()).isEqualTo(2_000);
    assertThat(relay.distinctMessageIds()).hasSize(2_000);
    assertThat(relay.received()).allSatisfy(mail -> {
      assertThat(mail.tls()).isTrue();
      assertThat(mail.user()).isEqualTo(Pipeline.USER);
    });
    assertThat(outcomes.terminalEvents()).extracting(StatusEvent::messageId).doesNotContainNull()
        .containsExactlyInAnyOrderElementsOf(relay.distinctMessageIds());
    assertThat(eventually(Duration.ofSeconds(10), () -> pipeline.uncommitted() == 0))
        .as("all offsets committed").isTrue();
  }

  @Test
  void badJobsGoToTheDeadLetterTopicWithTheirCodeAndTheJobsAroundThemAreSent(Vertx vertx) {
    long maxMessageBytes = 200_000;
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("invalid").relay(relay);
    pipeline.settings.relayOption("maxMessageBytes", maxMessageBytes);
    pipeline.startDispatcher();
    List<SampleJobs.Invalid> invalid = SampleJobs.invalid("bad", "citizen@example.org", maxMessageBytes);

    for (int i = 0; i < invalid.size(); i++) {
      pipeline.publish(jobs("before-" + i, 10));
      pipeline.publishRaw(invalid.get(i).id(), invalid.get(i).bytes());
    }
    pipeline.publish(jobs("after", 10));
    int valid = invalid.size() * 10 + 10;
    OutcomeWatcher outcomes = pipeline.awaitFinished(valid + invalid.size(), WAIT);
    // a job's REJECTED event and its dead letter are on two topics: the event can be read first
    Pipeline.eventually(WAIT, () -> outcomes.deadLetters().size() >= invalid.size());

    assertThat(outcomes.count(State.SENT)).isEqualTo(valid);
    assertThat(relay.count()).isEqualTo(valid);
    assertThat(outcomes.deadLetters()).hasSize(invalid.size());
    Map<String, String> codeByKey = outcomes.deadLetters().stream()
        .collect(Collectors.toMap(d -> String.valueOf(d.key()), OutcomeWatcher.DeadLetter::code));
    for (SampleJobs.Invalid bad : invalid) {
      assertThat(codeByKey.get(String.valueOf(bad.id()))).as(bad.what()).isEqualTo(bad.code().name());
    }
    assertThat(outcomes.deadLetters()).allSatisfy(d -> assertThat(d.error()).isNotBlank());
    assertThat(outcomes.deadLetters()).extracting(OutcomeWatcher.DeadLetter::value)
        .containsExactlyInAnyOrderElementsOf(invalid.stream().map(SampleJobs.Invalid::bytes).toList());
    List<StatusEvent> rejected = outcomes.terminalEvents().stream().filter(e -> e.state() == State.REJECTED).toList();
    assertThat(rejected).extracting(StatusEvent::id)
        .containsExactlyInAnyOrderElementsOf(invalid.stream().map(SampleJobs.Invalid::id).filter(id -> id != null).toList());
    assertThat(rejected).allSatisfy(e -> assertThat(e.error()).isNotBlank());
  }

  @Test
  void aRepeatedIdIsAnsweredWithDuplicateAndNotSentAgain(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("duplicate").relay(relay).startDispatcher();

    pipeline.publish(jobs("once", 5));
    pipeline.awaitFinished(5, WAIT);
    pipeline.publish(jobs("once", 5));
    OutcomeWatcher outcomes = pipeline.awaitFinished(10, WAIT);

    assertThat(outcomes.terminalCounts()).containsEntry(State.SENT, 5).containsEntry(State.DUPLICATE, 5);
    assertThat(relay.count()).isEqualTo(5);
  }

  @Test
  void aRefusedRecipientFailsItsJobAndAPoolOfOneKeepsSending(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions()
        .rejectRecipients("nobody@.*", "550 5.1.1 <{address}>: Recipient address rejected: User unknown").build());
    pipeline = Pipeline.create("refused").relay(relay);
    pipeline.settings.env("POSTROOM_RELAY_POOL_SIZE", "1");
    pipeline.startDispatcher();

    pipeline.publish(List.of(SampleJobs.valid("unknown", "billing", "nobody@example.org")));
    pipeline.publish(List.of(SampleJobs.valid("partly", "billing", "citizen@example.org")
        .put("cc", new JsonArray().add("nobody@example.org"))));
    pipeline.publish(jobs("after", 20));
    OutcomeWatcher outcomes = pipeline.awaitFinished(22, WAIT);

    StatusEvent unknown = outcomes.terminalById().get("unknown").get(0);
    assertThat(unknown.state()).isEqualTo(State.FAILED);
    assertThat(unknown.smtpCode()).isEqualTo(550);
    assertThat(unknown.attempt()).isEqualTo(1);
    StatusEvent partly = outcomes.terminalById().get("partly").get(0);
    assertThat(partly.state()).isEqualTo(State.SENT);
    assertThat(partly.rejectedRecipients()).containsExactly("nobody@example.org");
    assertThat(outcomes.count(State.SENT)).isEqualTo(21);
    assertThat(relay.count()).isEqualTo(21);
  }

  @Test
  void aTemporaryRefusalIsRetriedWithTheSameMessageId(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().transientMailFromFailures(2).build());
    pipeline = Pipeline.create("transient").relay(relay).startDispatcher();

    pipeline.publish(List.of(SampleJobs.valid("later", "billing", "citizen@example.org")));
    OutcomeWatcher outcomes = pipeline.awaitFinished(1, WAIT);

    List<StatusEvent> events = outcomes.events();
    assertThat(events).extracting(StatusEvent::state).containsExactly(State.RETRYING, State.RETRYING, State.SENT);
    assertThat(events).extracting(StatusEvent::attempt).containsExactly(1, 2, 3);
    assertThat(events.get(0).smtpCode()).isEqualTo(451);
    assertThat(events).extracting(StatusEvent::messageId).containsOnly(events.get(2).messageId());
    assertThat(relay.received()).extracting(ReceivedMail::messageId).containsExactly(events.get(2).messageId());
    assertThat(pipeline.metrics()).as("each retry waited on a retry tier")
        .contains("postroom_jobs_moved_total{to=\"retry\"} 2.0");
  }

  @Test
  void attemptsRunOutAsRetriesExhaustedInTheDeadLetterTopic(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().transientMailFromFailures(1_000).build());
    pipeline = Pipeline.create("exhausted").relay(relay);
    pipeline.settings.dispatch("maxAttempts", 3);
    pipeline.startDispatcher();

    pipeline.publish(List.of(SampleJobs.valid("never", "billing", "citizen@example.org")));
    OutcomeWatcher outcomes = pipeline.awaitFinished(1, WAIT);

    StatusEvent last = outcomes.terminalEvents().get(0);
    assertThat(last.state()).isEqualTo(State.FAILED);
    assertThat(last.errorCode()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED);
    assertThat(last.attempt()).isEqualTo(3);
    assertThat(outcomes.count(State.RETRYING)).isEqualTo(2);
    assertThat(eventually(Duration.ofSeconds(10), () -> outcomes.deadLetters().size() == 1)).isTrue();
    assertThat(outcomes.deadLetters().get(0).code()).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(relay.count()).isZero();
  }

  @Test
  void aJobPastItsExpiryIsNotSent(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("expired").relay(relay).startDispatcher();

    pipeline.publish(List.of(SampleJobs.valid("stale", "billing", "citizen@example.org")
        .put("expiresAt", Instant.now().minusSeconds(60).toString())));
    OutcomeWatcher outcomes = pipeline.awaitFinished(1, WAIT);

    assertThat(outcomes.terminalEvents()).extracting(StatusEvent::state).containsExactly(State.EXPIRED);
    assertThat(relay.count()).isZero();
  }

  @Test
  void aJobWaitsForItsNotBeforeTimeOnARetryTopicNotInMemory(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("not-before").relay(relay).startDispatcher();
    Instant notBefore = Instant.now().plusSeconds(5);

    pipeline.publish(List.of(SampleJobs.valid("scheduled", "billing", "citizen@example.org")
        .put("notBefore", notBefore.toString())));

    assertThat(Pipeline.eventually(Duration.ofSeconds(4), () -> pipeline.metrics().contains(
            "postroom_jobs_moved_total{to=\"retry\"} 1.0") && pipeline.metrics().contains("postroom_jobs_in_flight 0.0")))
        .as("the job left memory for a retry tier").isTrue();
    assertThat(Pipeline.eventually(Duration.ofSeconds(2), () -> pipeline.uncommitted() == 0))
        .as("its record on the jobs topic is committed while it waits").isTrue();
    assertThat(Instant.now()).isBefore(notBefore);
    OutcomeWatcher outcomes = pipeline.awaitFinished(1, WAIT);
    assertThat(outcomes.terminalEvents().get(0).state()).isEqualTo(State.SENT);
    assertThat(outcomes.terminalEvents().get(0).at()).isAfterOrEqualTo(notBefore);
  }

  @Test
  void aSilentRelayIsCutOffByTheSendTimeoutAndTheSecondRelayTakesOver(Vertx vertx) {
    SmtpRelay silent = Pipeline.startRelay(vertx, Pipeline.relayOptions().neverAnswerDot(true).build());
    SmtpRelay healthy = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("failover").relay(silent);
    pipeline.settings.relayOption("sendTimeout", "1s").addRelay(new JsonObject()
        .put("name", "secondary").put("host", "localhost").put("port", healthy.port())
        .put("username", Pipeline.USER).put("password", Pipeline.PASSWORD)
        .put("trustPem", Pipeline.localhost().caPem().toString()));
    pipeline.startDispatcher();

    pipeline.publish(jobs("failover", 50));
    OutcomeWatcher outcomes = pipeline.awaitFinished(50, WAIT);

    assertThat(outcomes.terminalCounts()).containsExactly(Map.entry(State.SENT, 50));
    assertThat(outcomes.terminalEvents()).extracting(StatusEvent::relay).containsOnly("secondary");
    assertThat(healthy.count()).isEqualTo(50);
  }

  @Test
  void aJobForMoreRecipientsThanARelayMustTakeIsSentInTransactionsOfAHundred(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions()
        .rejectRecipients("nobody@.*", "550 5.1.1 <{address}>: Recipient address rejected: User unknown").build());
    pipeline = Pipeline.create("many-recipients").relay(relay).startDispatcher();
    JsonArray to = new JsonArray();
    IntStream.range(0, 249).forEach(i -> to.add("citizen" + i + "@example.org"));
    to.add("nobody@example.org");

    pipeline.publish(List.of(SampleJobs.valid("newsletter", "billing", "citizen@example.org").put("to", to)));
    OutcomeWatcher outcomes = pipeline.awaitFinished(1, WAIT);

    StatusEvent sent = outcomes.terminalEvents().get(0);
    assertThat(sent.state()).isEqualTo(State.SENT);
    assertThat(sent.rejectedRecipients()).containsExactly("nobody@example.org");
    assertThat(relay.received()).hasSize(3).allSatisfy(mail -> {
      assertThat(mail.messageId()).isEqualTo(sent.messageId());
      assertThat(mail.recipients().size()).isLessThanOrEqualTo(100);
    });
    assertThat(relay.received()).flatExtracting(ReceivedMail::recipients).hasSize(249).doesNotHaveDuplicates();
  }
}
