package io.postroom.api.status;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status store counts a bulk send's jobs per state, each job in one state at a time. */
class BulkCountsTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00.000Z");

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
    store.close();
  }

  private static StatusEvent event(String key, State state, int second) {
    return new StatusEvent("send-1/" + key, "pensions", state, state == State.ACCEPTED ? 0 : 1, null, null, null, null,
        null, List.of(), null, null, T0.plusSeconds(second), "send-1", key);
  }

  private void apply(StatusEvent... events) {
    store.apply(java.util.Arrays.stream(events)
        .map(e -> new JobStatusStore.Read(0, offset++, e.toJson().encode().getBytes(UTF_8))).toList());
  }

  @Test
  void aRecipientThatIsSentMovesFromAcceptedToSent() {
    apply(event("c-1", State.ACCEPTED, 0), event("c-2", State.ACCEPTED, 0));
    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.ACCEPTED, 2L));

    apply(event("c-1", State.SENT, 1));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.ACCEPTED, 1L, State.SENT, 1L));
  }

  @Test
  void aRepeatedEventIsNotCountedTwice() {
    apply(event("c-1", State.ACCEPTED, 0));
    apply(event("c-1", State.SENT, 1));
    apply(event("c-1", State.SENT, 1), event("c-1", State.ACCEPTED, 0));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.SENT, 1L));
  }

  @Test
  void transitionsWithinOneBatchEndInOneCount() {
    apply(event("c-1", State.ACCEPTED, 0), event("c-1", State.RETRYING, 1), event("c-1", State.FAILED, 2),
        event("c-2", State.ACCEPTED, 0), event("c-2", State.CANCELLED, 1));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.FAILED, 1L, State.CANCELLED, 1L));
  }

  @Test
  void countsAreKeptPerTenantAndBulkAndSingleJobsAreNotCounted() {
    apply(event("c-1", State.ACCEPTED, 0),
        new StatusEvent("receipt-1", "pensions", State.SENT, 1, null, null, null, null, null, List.of(), null, null, T0));

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.ACCEPTED, 1L));
    assertThat(store.bulkCounts("billing", "send-1")).isEmpty();
    assertThat(store.bulkCounts("pensions", "send-2")).isEmpty();
  }

  @Test
  void countsSurviveAReopen() {
    apply(event("c-1", State.ACCEPTED, 0), event("c-1", State.SENT, 1));
    store.close();
    store = new JobStatusStore(dir);

    assertThat(store.bulkCounts("pensions", "send-1")).isEqualTo(Map.of(State.SENT, 1L));
  }
}
