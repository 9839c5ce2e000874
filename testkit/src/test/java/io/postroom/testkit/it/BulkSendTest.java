package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SampleBulks;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk jobs on the jobs topic, through a real broker and a relay that requires STARTTLS and AUTH:
 * every recipient becomes one mail with its own variables and ends in exactly one terminal state,
 * also when the dispatcher is killed while expanding and again while sending.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class BulkSendTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static final int MAX_IN_FLIGHT = 64;
  private static final double MAX_RATE = 200;

  /** A relay, a dispatcher with the in-flight bound {@link #MAX_IN_FLIGHT}, and the api in front of it. */
  private SmtpRelay startBehindTheApi(Vertx vertx, String label) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create(label).relay(relay);
    pipeline.settings.dispatch("maxInFlight", MAX_IN_FLIGHT);
    pipeline.startDispatcher();
    return relay;
  }

  /** Posts a send of citizens 0 to n-1 for tenant billing at {@link #MAX_RATE}; fails unless it is taken. */
  private static void postSend(ApiFixture api, String id, int recipients) {
    HttpResponse<String> posted = api.send("POST", "/v1/bulk", ApiFixture.BILLING_KEY,
        SampleBulks.statement(id, "billing", 0, recipients).put("maxRate", MAX_RATE));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  /** Asks the api to cancel, pause or resume the send; fails unless it is taken. */
  private static void control(ApiFixture api, String id, String action) {
    HttpResponse<String> answer = api.send("POST", "/v1/bulk/" + id + "/" + action, ApiFixture.BILLING_KEY,
        new JsonObject());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
  }

  /** Publishes a send of {@code records} bulk records of {@code perRecord} recipients each, citizens 0 to n-1. */
  private void publishSend(String id, int records, int perRecord) {
    for (int r = 0; r < records; r++) {
      JsonObject bulk = SampleBulks.statement(id, "pensions", r * perRecord, (r + 1) * perRecord);
      pipeline.publishRaw(id + "/1/" + (r + 1), bulk.encode().getBytes());
    }
  }

  /** Each delivered mail greets the citizen it was addressed to, with their amount. */
  private static void assertPersonalised(List<ReceivedMail> mails) {
    assertThat(mails).allSatisfy(mail -> assertThat(SampleBulks.greetsItsRecipient(mail))
        .as("the mail to %s greets its recipient: %s", mail.recipients(), mail.text()).isTrue());
  }

  private List<String> bothTopics() {
    return List.of(pipeline.topics.jobs(), recipientsTopic());
  }

  private String recipientsTopic() {
    return pipeline.topics.jobs() + ".recipients";
  }

  private long recipientJobsWritten() {
    String topic = recipientsTopic();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        pipeline.broker.bootstrapServers()))) {
      Set<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
          .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
      return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
          .all().get().values().stream().mapToLong(info -> info.offset()).sum();
    } catch (Exception e) {
      return 0; // not created yet
    }
  }

  @Test
  void everyRecipientIsSentOnceWithItsOwnVariablesAndTheBadOnesAreReportedAlone(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("bulk").relay(relay).startDispatcher();
    String id = "statement-2026-12";
    // 3 records of 1,000: recipient 17 lacks a variable, 1,023 has a bad address, and record 3 repeats key c-5
    for (int r = 0; r < 3; r++) {
      JsonObject bulk = SampleBulks.statement(id, "pensions", r * 1000, (r + 1) * 1000, n -> {
        JsonObject citizen = SampleBulks.citizen(n);
        if (n == 17) {
          citizen.getJsonObject("vars").remove("amount");
        } else if (n == 1023) {
          citizen.put("to", "citizen1023@");
        } else if (n == 2222) {
          citizen.getJsonObject("vars").put("name", "{{amount}} <b>Eve</b>");
        } else if (n == 2500) {
          citizen.put("key", "c-2500").put("to", "citizen2500@example.org");
        }
        return citizen;
      });
      if (r == 2) {
        bulk.getJsonArray("recipients").add(SampleBulks.citizen(2500));
      }
      pipeline.publishRaw(id + "/1/" + (r + 1), bulk.encode().getBytes());
    }

    OutcomeWatcher outcomes = pipeline.awaitFinished(3_000, WAIT);
    Pipeline.eventually(WAIT, () -> outcomes.deadLetters().size() >= 3);

    Map<String, List<StatusEvent>> byId = outcomes.terminalById();
    assertThat(byId).hasSize(3_000).allSatisfy((job, events) -> assertThat(events).hasSize(1));
    assertThat(outcomes.terminalCounts()).containsOnly(Map.entry(State.SENT, 2_998), Map.entry(State.REJECTED, 2));
    assertThat(byId.get(id + "/c-17").get(0).error()).contains("amount");
    assertThat(byId.get(id + "/c-1023").get(0).state()).isEqualTo(State.REJECTED);
    assertThat(outcomes.terminalEvents()).allSatisfy(event -> {
      assertThat(event.bulkId()).isEqualTo(id);
      assertThat(event.id()).isEqualTo(id + "/" + event.key());
    });
    assertThat(outcomes.deadLetters()).extracting(OutcomeWatcher.DeadLetter::code).containsExactlyInAnyOrder(
        ErrorCode.RENDER_FAILED.name(), ErrorCode.BAD_ADDRESS.name(), ErrorCode.DUPLICATE_KEY.name());
    assertThat(relay.count()).isEqualTo(2_998);
    assertThat(relay.distinctMessageIds()).hasSize(2_998);
    List<ReceivedMail> others = relay.received().stream()
        .filter(m -> !m.recipients().contains("citizen2222@example.org")).toList();
    assertPersonalised(others);
    // a variable holding Mustache tags and HTML is text: not expanded, and escaped in the html part
    assertThat(relay.received()).filteredOn(m -> m.recipients().contains("citizen2222@example.org")).singleElement()
        .satisfies(mail -> assertThat(mail.text()).contains("Dear {{amount}} <b>Eve</b>, you were paid 2222.00")
            .contains("&lt;b&gt;Eve&lt;/b&gt;"));
    assertThat(Pipeline.eventually(Duration.ofSeconds(10), () -> pipeline.uncommitted(bothTopics()) == 0))
        .as("all offsets committed, the bulk records' and the recipients'").isTrue();
  }

  @Test
  @SuppressWarnings("try") // the processes only have to run while the body waits
  void killedWhileExpandingAndAgainWhileSendingEveryRecipientEndsOnce(Vertx vertx) throws Exception {
    int records = 8;
    int perRecord = 2_500;
    int recipients = records * perRecord;
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().latency(".", Duration.ofMillis(2)).build());
    pipeline = Pipeline.create("bulk-kill9").relay(relay);
    pipeline.settings.dispatch("maxInFlight", MAX_IN_FLIGHT)
        .kafkaProperty("session.timeout.ms", "8000").kafkaProperty("heartbeat.interval.ms", "1000");
    publishSend("pension-statement", records, perRecord);

    long writtenAtFirstKill;
    try (DispatcherProcess first = DispatcherProcess.start(pipeline.settings, pipeline.dir(), Duration.ofSeconds(60))) {
      Pipeline.eventually(WAIT, () -> recipientJobsWritten() > 0);
      first.kill();
      writtenAtFirstKill = recipientJobsWritten();
    }
    Set<String> sentBeforeSecondKill;
    try (DispatcherProcess second = DispatcherProcess.start(pipeline.settings, pipeline.dir(), Duration.ofSeconds(60))) {
      assertThat(Pipeline.eventually(WAIT, () -> pipeline.watcher().finished() >= recipients / 3)).isTrue();
      second.kill();
      sentBeforeSecondKill = pipeline.watcher().terminalEvents().stream().filter(e -> e.state() == State.SENT)
          .map(StatusEvent::messageId).collect(Collectors.toSet());
    }
    try (DispatcherProcess third = DispatcherProcess.start(pipeline.settings, pipeline.dir(), Duration.ofSeconds(60))) {
      OutcomeWatcher outcomes = pipeline.awaitFinished(recipients, WAIT);
      assertThat(Pipeline.eventually(Duration.ofSeconds(20), () -> pipeline.uncommitted(bothTopics()) == 0)).isTrue();

      Map<String, List<StatusEvent>> byId = outcomes.terminalById();
      Map<String, Long> copies = relay.received().stream()
          .collect(Collectors.groupingBy(ReceivedMail::messageId, Collectors.counting()));
      long extra = copies.values().stream().mapToLong(n -> n - 1).sum();
      long withTwoEvents = byId.values().stream().filter(events -> events.size() > 1).count();
      System.out.printf("bulk kill -9: first process killed with %d of %d recipient jobs written; second after %d"
              + " SENT; relay stored %d messages, %d distinct; %d extra copies, %d recipients with a second event"
              + " (in-flight bound %d per kill)%n", writtenAtFirstKill, recipients, sentBeforeSecondKill.size(),
          relay.received().size(), copies.size(), extra, withTwoEvents, MAX_IN_FLIGHT);
      assertThat(byId).hasSize(recipients);
      assertThat(byId.values()).allSatisfy(events ->
          assertThat(events).extracting(StatusEvent::state).containsOnly(State.SENT));
      assertThat(copies.keySet()).hasSize(recipients);
      assertThat(sentBeforeSecondKill.stream().filter(m -> copies.getOrDefault(m, 0L) > 1))
          .as("recipients reported SENT before the kill and sent again").isEmpty();
      assertThat(extra).as("extra copies (two kills, in-flight bound %d)", MAX_IN_FLIGHT)
          .isLessThanOrEqualTo(2L * MAX_IN_FLIGHT);
      assertPersonalised(relay.received());
    }
  }

  /**
   * Through the api: a send of 4,000 recipients at maxRate 200/s, cancelled once 600 are SENT. The
   * mails the relay takes after the cancel is acknowledged are at most the in-flight bound plus what
   * one second at the send's rate lets through while the cancel reaches the dispatcher; every other
   * recipient ends CANCELLED, none of them gets a mail, and GET /v1/bulk/{id} adds up to 4,000.
   */
  @Test
  void aCancelThroughTheApiStopsTheSendAndEveryRecipientEndsSentOrCancelled(Vertx vertx, @TempDir Path dir)
      throws Exception {
    int recipients = 4_000;
    String id = "reminder-2026-12";
    SmtpRelay relay = startBehindTheApi(vertx, "bulk-cancel");
    try (ApiFixture api = ApiFixture.behind(vertx, dir, pipeline)) {
      postSend(api, id, recipients);
      assertThat(Pipeline.eventually(WAIT, () -> pipeline.watcher().count(State.SENT) >= 600)).isTrue();
      control(api, id, "cancel");
      int atAck = relay.count();

      OutcomeWatcher outcomes = pipeline.awaitFinished(recipients, WAIT);
      Map<State, Integer> counts = outcomes.terminalCounts();
      int sent = counts.getOrDefault(State.SENT, 0);
      System.out.printf("bulk cancel: %d mails at the relay when the cancel was acknowledged, %d in the end (%d after"
          + " it; in-flight bound %d, %.0f/s send rate); %s%n", atAck, relay.count(), relay.count() - atAck,
          MAX_IN_FLIGHT, MAX_RATE, counts);
      assertThat(outcomes.terminalById()).hasSize(recipients).allSatisfy((job, events) -> assertThat(events).hasSize(1));
      assertThat(counts.keySet()).containsOnly(State.SENT, State.CANCELLED);
      assertThat(counts.get(State.CANCELLED)).as("recipients cancelled").isPositive();
      assertThat(relay.count()).isEqualTo(sent);
      assertThat(relay.count() - atAck).as("mails after the cancel was acknowledged")
          .isLessThanOrEqualTo(MAX_IN_FLIGHT + (int) MAX_RATE);
      Set<String> mailed = relay.received().stream().flatMap(mail -> mail.recipients().stream())
          .collect(Collectors.toSet());
      assertThat(outcomes.terminalEvents().stream().filter(e -> e.state() == State.CANCELLED))
          .allSatisfy(e -> assertThat(mailed).doesNotContain("citizen" + e.key().substring(2) + "@example.org"));
      assertThat(Pipeline.eventually(WAIT, () -> {
        JsonObject progress = new JsonObject(api.get(ApiFixture.BILLING_KEY, "/v1/bulk/" + id).body());
        return progress.getInteger("finished", 0) == recipients;
      })).as("GET /v1/bulk/%s counts every recipient finished", id).isTrue();
      JsonObject progress = new JsonObject(api.get(ApiFixture.BILLING_KEY, "/v1/bulk/" + id).body());
      assertThat(progress.getString("control")).isEqualTo("CANCELLED");
      assertThat(progress.getJsonObject("states").getInteger("SENT")).isEqualTo(sent);
      assertThat(progress.getJsonObject("states").getInteger("CANCELLED")).isEqualTo(recipients - sent);
    }
  }

  /**
   * Through the api: a send paused once 300 recipients are SENT takes no more than the in-flight
   * bound and a second at its rate while paused, then resumed, sends every recipient exactly once.
   */
  @Test
  void aPausedSendHoldsItsRecipientsAndAResumedOneSendsEachOnce(Vertx vertx, @TempDir Path dir) throws Exception {
    int recipients = 2_000;
    String id = "newsletter-2026-12";
    SmtpRelay relay = startBehindTheApi(vertx, "bulk-pause");
    try (ApiFixture api = ApiFixture.behind(vertx, dir, pipeline)) {
      postSend(api, id, recipients);
      assertThat(Pipeline.eventually(WAIT, () -> pipeline.watcher().count(State.SENT) >= 300)).isTrue();
      control(api, id, "pause");
      int atPause = relay.count();
      Thread.sleep(3_000);
      int whilePaused = relay.count();
      Thread.sleep(3_000);
      assertThat(relay.count()).as("no mail while paused, after the pause reached the dispatcher").isEqualTo(whilePaused);
      assertThat(whilePaused - atPause).as("mails after the pause was acknowledged")
          .isLessThanOrEqualTo(MAX_IN_FLIGHT + (int) MAX_RATE);
      control(api, id, "resume");

      OutcomeWatcher outcomes = pipeline.awaitFinished(recipients, WAIT);
      System.out.printf("bulk pause: %d mails when the pause was acknowledged, %d while paused, all %d after the"
          + " resume%n", atPause, whilePaused, relay.count());
      assertThat(outcomes.terminalCounts()).containsOnly(Map.entry(State.SENT, recipients));
      assertThat(outcomes.terminalById()).hasSize(recipients).allSatisfy((job, events) -> assertThat(events).hasSize(1));
      assertThat(relay.distinctMessageIds()).hasSize(recipients);
      assertPersonalised(relay.received());
    }
  }
}
