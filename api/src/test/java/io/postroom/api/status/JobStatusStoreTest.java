package io.postroom.api.status;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.kafka.StatusRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStatusStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.000Z");

  @TempDir
  Path dir;

  private JobStatusStore store;
  private long offset;

  @BeforeEach
  void open() {
    store = new JobStatusStore(dir);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static StatusEvent event(String id, String tenant, State state, int attempt, Instant at) {
    return new StatusEvent(id, tenant, state, attempt, null, null, null, null, null, List.of(), null, null, at);
  }

  private static StatusEvent sent(String id, String tenant, Instant at) {
    return event(id, tenant, State.SENT, 1, at);
  }

  private static StatusRecord read(int partition, long offset, StatusEvent event) {
    return read(partition, offset, event.toJson().encode().getBytes(UTF_8));
  }

  private static StatusRecord read(int partition, long offset, byte[] value) {
    return new StatusRecord(partition, offset, null, null, null, value);
  }

  /** Applies each event in its own batch, on partition 0, at increasing offsets. */
  private void apply(StatusEvent... events) {
    for (StatusEvent event : events) {
      store.apply(List.of(read(0, offset++, event)));
    }
  }

  private static List<String> ids(List<JobStatusStore.Entry> entries) {
    return entries.stream().map(JobStatusStore.Entry::id).toList();
  }

  @Test
  void anUnknownIdIsEmptyAndAfterOneEventTheDocumentHasThatEvent() {
    assertThat(store.get("order-1")).isEmpty();

    StatusEvent accepted = StatusEvent.accepted("order-1", "billing", at(0));
    apply(accepted);

    JsonObject document = store.get("order-1").orElseThrow();
    assertThat(document.getString("id")).isEqualTo("order-1");
    assertThat(document.getString("tenant")).isEqualTo("billing");
    assertThat(document.getString("state")).isEqualTo("ACCEPTED");
    assertThat(document.getJsonObject("latest")).isEqualTo(accepted.toJson());
    assertThat(document.getJsonArray("history")).isEqualTo(new JsonArray().add(accepted.toJson()));
    assertThat(StatusEvent.fromJson(document.getJsonObject("latest"))).isEqualTo(accepted);
    assertThat(store.get("order-2")).isEmpty();
  }

  @Test
  void eventsOfOneJobInOrderMakeTheNewestTheStateAndTheHistoryOldestFirst() {
    StatusEvent accepted = StatusEvent.accepted("order-1", "billing", at(0));
    StatusEvent retrying = event("order-1", "billing", State.RETRYING, 1, at(1));
    StatusEvent sent = sent("order-1", "billing", at(2));

    apply(accepted, retrying);
    assertThat(store.get("order-1").orElseThrow().getString("state")).isEqualTo("RETRYING");

    apply(sent);
    JsonObject document = store.get("order-1").orElseThrow();
    assertThat(document.getString("state")).isEqualTo("SENT");
    assertThat(document.getJsonObject("latest")).isEqualTo(sent.toJson());
    assertThat(document.getJsonArray("history"))
        .isEqualTo(new JsonArray().add(accepted.toJson()).add(retrying.toJson()).add(sent.toJson()));
  }

  @Test
  void eventsOfOneJobInOneBatchAreAppliedInOrder() {
    StatusEvent accepted = StatusEvent.accepted("order-1", "billing", at(0));
    StatusEvent sent = sent("order-1", "billing", at(1));

    store.apply(List.of(read(0, 0, accepted), read(0, 1, sent)));

    JsonObject document = store.get("order-1").orElseThrow();
    assertThat(document.getString("state")).isEqualTo("SENT");
    assertThat(document.getJsonArray("history")).isEqualTo(new JsonArray().add(accepted.toJson()).add(sent.toJson()));
    assertThat(ids(store.list("billing", null, 10, null))).containsExactly("order-1");
    assertThat(store.list("billing", State.ACCEPTED, 10, null)).isEmpty();
  }

  @Test
  void aTerminalStateStaysWhenAnEarlierStageEventArrivesAfterItButTheHistoryGetsIt() {
    StatusEvent sent = sent("order-1", "billing", at(2));
    StatusEvent lateAccepted = StatusEvent.accepted("order-1", "billing", at(0));

    apply(sent, lateAccepted);

    JsonObject document = store.get("order-1").orElseThrow();
    assertThat(document.getString("state")).isEqualTo("SENT");
    assertThat(document.getJsonObject("latest")).isEqualTo(sent.toJson());
    assertThat(document.getJsonArray("history"))
        .isEqualTo(new JsonArray().add(sent.toJson()).add(lateAccepted.toJson()));
    assertThat(store.list("billing", State.SENT, 10, null))
        .containsExactly(new JobStatusStore.Entry("order-1", "SENT", "2026-11-22T10:00:02.000Z"));
    assertThat(store.list("billing", State.ACCEPTED, 10, null)).isEmpty();
    assertThat(store.list("billing", null, 10, null))
        .containsExactly(new JobStatusStore.Entry("order-1", "SENT", "2026-11-22T10:00:02.000Z"));
  }

  @Test
  void theHistoryKeepsOnlyTheLastHistoryEvents() {
    List<StatusEvent> events = new ArrayList<>();
    for (int i = 0; i < JobStatusStore.HISTORY + 5; i++) {
      events.add(event("order-1", "billing", State.RETRYING, i, at(i)));
    }
    apply(events.toArray(StatusEvent[]::new));

    JsonObject document = store.get("order-1").orElseThrow();
    JsonArray history = document.getJsonArray("history");
    assertThat(history.size()).isEqualTo(JobStatusStore.HISTORY);
    JsonArray expected = new JsonArray();
    events.subList(5, events.size()).forEach(e -> expected.add(e.toJson()));
    assertThat(history).isEqualTo(expected);
    assertThat(document.getJsonObject("latest")).isEqualTo(events.get(events.size() - 1).toJson());
  }

  @Test
  void anUnreadableValueIsSkippedTheRestOfTheBatchIsAppliedAndItsOffsetAdvances() {
    JsonObject noState = StatusEvent.accepted("order-2", "billing", at(1)).toJson();
    noState.remove("state");
    StatusEvent first = StatusEvent.accepted("order-1", "billing", at(0));
    StatusEvent last = StatusEvent.accepted("order-3", "billing", at(2));

    store.apply(List.of(
        read(0, 10, first),
        read(0, 11, "not json {".getBytes(UTF_8)),
        read(0, 12, noState.encode().getBytes(UTF_8)),
        read(0, 13, last),
        read(1, 7, "still not json".getBytes(UTF_8)),
        read(2, 3, (byte[]) null)));

    assertThat(store.get("order-1")).isPresent();
    assertThat(store.get("order-2")).isEmpty();
    assertThat(store.get("order-3")).isPresent();
    assertThat(ids(store.list("billing", null, 10, null))).containsExactly("order-3", "order-1");
    assertThat(store.nextOffset(0)).contains(14L);
    assertThat(store.nextOffset(1)).contains(8L);
    assertThat(store.nextOffset(2)).contains(4L);
  }

  @Test
  void nextOffsetIsEmptyBeforeAnythingWasReadAndTheHighestOffsetPlusOnePerPartitionAfter() {
    assertThat(store.nextOffset(0)).isEmpty();
    assertThat(store.nextOffset(1)).isEmpty();

    store.apply(List.of(
        read(0, 5, StatusEvent.accepted("a", "billing", at(0))),
        read(1, 41, StatusEvent.accepted("b", "billing", at(1))),
        read(0, 6, StatusEvent.accepted("c", "billing", at(2))),
        read(1, 40, StatusEvent.accepted("d", "billing", at(3)))));

    assertThat(store.nextOffset(0)).contains(7L);
    assertThat(store.nextOffset(1)).contains(42L);
    assertThat(store.nextOffset(2)).isEmpty();

    store.apply(List.of(read(0, 7, sent("a", "billing", at(4)))));

    assertThat(store.nextOffset(0)).contains(8L);
    assertThat(store.nextOffset(1)).contains(42L);
  }

  @Test
  void theDataAndOffsetsSurviveClosingAndReopeningTheStore() {
    StatusEvent accepted = StatusEvent.accepted("order-1", "billing", at(0));
    StatusEvent sent = sent("order-1", "billing", at(1));
    StatusEvent other = StatusEvent.accepted("order-2", "billing", at(2));
    store.apply(List.of(read(0, 3, accepted), read(1, 9, other)));
    store.apply(List.of(read(0, 4, sent)));
    JsonObject before = store.get("order-1").orElseThrow();

    store.close();
    store = null;
    store = new JobStatusStore(dir);

    assertThat(store.get("order-1")).contains(before);
    assertThat(store.get("order-1").orElseThrow().getString("state")).isEqualTo("SENT");
    assertThat(store.get("order-2")).isPresent();
    assertThat(store.nextOffset(0)).contains(5L);
    assertThat(store.nextOffset(1)).contains(10L);
    assertThat(ids(store.list("billing", null, 10, null))).containsExactly("order-2", "order-1");
    assertThat(ids(store.list("billing", State.SENT, 10, null))).containsExactly("order-1");
  }

  @Test
  void listingATenantGivesItsJobsNewestFirstByTheirLatestEventAndNoOtherTenants() {
    apply(
        StatusEvent.accepted("old", "billing", at(0)),
        StatusEvent.accepted("middle", "billing", at(10)),
        StatusEvent.accepted("other-tenant", "shipping", at(15)),
        StatusEvent.accepted("billing2", "billing2", at(16)),
        StatusEvent.accepted("new", "billing", at(20)),
        // "old" becomes the newest by its latest event
        sent("old", "billing", at(30)));

    assertThat(store.list("billing", null, 10, null)).containsExactly(
        new JobStatusStore.Entry("old", "SENT", "2026-11-22T10:00:30.000Z"),
        new JobStatusStore.Entry("new", "ACCEPTED", "2026-11-22T10:00:20.000Z"),
        new JobStatusStore.Entry("middle", "ACCEPTED", "2026-11-22T10:00:10.000Z"));
    assertThat(ids(store.list("shipping", null, 10, null))).containsExactly("other-tenant");
    assertThat(store.list("nobody", null, 10, null)).isEmpty();
  }

  @Test
  void listingByStateGivesOnlyJobsInThatStateAndAJobThatMovedOnLeavesItsOldState() {
    apply(
        StatusEvent.accepted("a", "billing", at(0)),
        StatusEvent.accepted("b", "billing", at(1)),
        StatusEvent.accepted("c", "billing", at(2)),
        sent("b", "billing", at(3)),
        sent("x", "shipping", at(4)));

    assertThat(store.list("billing", State.SENT, 10, null))
        .containsExactly(new JobStatusStore.Entry("b", "SENT", "2026-11-22T10:00:03.000Z"));
    assertThat(ids(store.list("billing", State.ACCEPTED, 10, null))).containsExactly("c", "a");
    assertThat(store.list("billing", State.FAILED, 10, null)).isEmpty();
    assertThat(ids(store.list("billing", null, 10, null))).containsExactly("b", "c", "a");
  }

  @Test
  void pagingWithTheCursorOfTheLastEntryGivesTheNextEntriesWithoutRepeatsUntilEmpty() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      apply(StatusEvent.accepted("job-" + i, "billing", at(i)));
      expected.add(0, "job-" + i);
    }
    // two jobs with the same time, ordered between themselves by id
    apply(StatusEvent.accepted("same-b", "billing", at(-1)), StatusEvent.accepted("same-a", "billing", at(-1)));
    expected.add("same-a");
    expected.add("same-b");
    apply(StatusEvent.accepted("elsewhere", "shipping", at(2)));

    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String after = null;
    for (int pages = 0; pages < 10; pages++) {
      List<JobStatusStore.Entry> page = store.list("billing", null, 2, after);
      sizes.add(page.size());
      if (page.isEmpty()) {
        break;
      }
      seen.addAll(ids(page));
      after = JobStatusStore.cursor(page.get(page.size() - 1));
    }

    assertThat(seen).containsExactlyElementsOf(expected).doesNotHaveDuplicates();
    assertThat(sizes).containsExactly(2, 2, 2, 1, 0);

    List<JobStatusStore.Entry> firstAccepted = store.list("billing", State.ACCEPTED, 3, null);
    assertThat(ids(firstAccepted)).containsExactlyElementsOf(expected.subList(0, 3));
    assertThat(ids(store.list("billing", State.ACCEPTED, 3, JobStatusStore.cursor(firstAccepted.get(2)))))
        .containsExactlyElementsOf(expected.subList(3, 6));
  }

  /** An event of recipient {@code key} of bulk send send-1 of tenant pensions. */
  private static StatusEvent ofBulk(String key, State state, int second) {
    return event("send-1/" + key, "pensions", state, state == State.ACCEPTED ? 0 : 1, at(second)).ofBulk("send-1", key);
  }

  /** Applies the events in one batch. */
  private void applyTogether(StatusEvent... events) {
    List<StatusRecord> reads = new ArrayList<>();
    for (StatusEvent event : events) {
      reads.add(read(0, offset++, event));
    }
    store.apply(reads);
  }

  @Test
  void aBulkRecipientThatIsSentMovesFromTheAcceptedCountToTheSentCount() {
    apply(ofBulk("c-1", State.ACCEPTED, 0), ofBulk("c-2", State.ACCEPTED, 0));
    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.ACCEPTED, 2L));

    apply(ofBulk("c-1", State.SENT, 1));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.ACCEPTED, 1L, State.SENT, 1L));
  }

  @Test
  void aRepeatedOrLateEventOfABulkRecipientIsNotCountedAgain() {
    apply(ofBulk("c-1", State.ACCEPTED, 0), ofBulk("c-1", State.SENT, 1));
    applyTogether(ofBulk("c-1", State.SENT, 1), ofBulk("c-1", State.ACCEPTED, 0));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.SENT, 1L));
  }

  @Test
  void transitionsOfBulkRecipientsWithinOneBatchEndInOneCountEach() {
    applyTogether(ofBulk("c-1", State.ACCEPTED, 0), ofBulk("c-1", State.RETRYING, 1), ofBulk("c-1", State.FAILED, 2),
        ofBulk("c-2", State.ACCEPTED, 0), ofBulk("c-2", State.CANCELLED, 1));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.FAILED, 1L, State.CANCELLED, 1L));
  }

  @Test
  void bulkCountsArePerTenantAndSendAndLeaveSingleJobsOut() {
    apply(ofBulk("c-1", State.ACCEPTED, 0), sent("receipt-1", "pensions", at(0)));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.ACCEPTED, 1L));
    assertThat(store.bulkCounts("billing", "send-1")).isEmpty();
    assertThat(store.bulkCounts("pensions", "send-2")).isEmpty();
  }

  @Test
  void bulkCountsSurviveAReopen() {
    apply(ofBulk("c-1", State.ACCEPTED, 0), ofBulk("c-1", State.SENT, 1));
    store.close();
    store = new JobStatusStore(dir);

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.SENT, 1L));
  }

  @Test
  void aBounceAfterSentIsAFollowUpAndTheJobStaysSent() {
    StatusEvent sent = sent("order-1", "billing", at(1));
    StatusEvent bounced = StatusEvent.followUp(sent, "a@example.org", io.postroom.contract.compliance.BounceKind.HARD,
        550, "5.1.1", "User unknown", at(60));
    apply(StatusEvent.accepted("order-1", "billing", at(0)), sent, bounced);

    JsonObject document = store.get("order-1").orElseThrow();
    assertThat(document.getString("state")).isEqualTo("SENT");
    assertThat(document.getJsonObject("latest")).isEqualTo(sent.toJson());
    assertThat(document.getJsonArray("history").getJsonObject(2)).isEqualTo(bounced.toJson());
    assertThat(document.getJsonArray("followUps")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("state", "BOUNCED").put("recipient", "a@example.org").put("kind", "hard").put("code", "5.1.1")
        .put("text", "User unknown").put("at", "2026-11-22T10:01:00.000Z")));
  }

  @Test
  void aJobWithAFollowUpIsListedUnderItsStateAndUnderTheFollowUpsState() {
    StatusEvent sent = sent("order-1", "billing", at(1));
    apply(sent, sent("order-2", "billing", at(2)), StatusEvent.followUp(sent, "a@example.org",
        io.postroom.contract.compliance.BounceKind.COMPLAINT, null, null, "abuse", at(60)));

    assertThat(ids(store.list("billing", State.COMPLAINED, 10, null))).containsExactly("order-1");
    assertThat(store.list("billing", State.BOUNCED, 10, null)).isEmpty();
    assertThat(ids(store.list("billing", State.SENT, 10, null))).containsExactly("order-2", "order-1");
    assertThat(ids(store.list("billing", null, 10, null))).containsExactly("order-2", "order-1");
  }

  @Test
  void aJobKeepsOnlyTheNewestFollowUps() {
    StatusEvent sent = sent("order-1", "billing", at(1));
    apply(sent);
    for (int i = 0; i < JobStatusStore.FOLLOW_UPS + 5; i++) {
      apply(StatusEvent.followUp(sent, "r" + i + "@example.org", io.postroom.contract.compliance.BounceKind.SOFT,
          450, "4.2.2", "Mailbox full", at(10 + i)));
    }

    JsonArray followUps = store.get("order-1").orElseThrow().getJsonArray("followUps");
    assertThat(followUps).hasSize(JobStatusStore.FOLLOW_UPS);
    assertThat(followUps.getJsonObject(JobStatusStore.FOLLOW_UPS - 1).getString("recipient"))
        .isEqualTo("r" + (JobStatusStore.FOLLOW_UPS + 4) + "@example.org");
    assertThat(store.get("order-1").orElseThrow().getString("state")).isEqualTo("SENT");
  }

  @Test
  void aSuppressedJobShowsItsStateAndASentOneItsSuppressedRecipients() {
    StatusEvent partly = sent("order-1", "billing", at(1)).withSuppressed(List.of("gone@example.org"));
    apply(partly, event("order-2", "billing", State.SUPPRESSED, 0, at(2)));

    assertThat(store.get("order-1").orElseThrow().getJsonObject("latest").getJsonArray("suppressedRecipients"))
        .containsExactly("gone@example.org");
    assertThat(store.get("order-2").orElseThrow().getString("state")).isEqualTo("SUPPRESSED");
    assertThat(ids(store.list("billing", State.SUPPRESSED, 10, null))).containsExactly("order-2");
  }
}
