package io.postroom.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.bulk.BulkControl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BulkBoardTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private final AtomicLong clock = new AtomicLong(T0.toEpochMilli());
  private final BulkBoard board = new BulkBoard(clock::get);
  private final FakeSource source = new FakeSource();

  /** The status store, the uploads and the controls, as the test sets them. */
  private static final class FakeSource implements BulkBoard.Source {
    final Map<String, Map<State, Long>> counts = new HashMap<>();
    final Map<String, Long> accepted = new HashMap<>();
    final Map<String, BulkControl.Mode> control = new HashMap<>();

    void counts(String id, Object... stateThenCount) {
      Map<State, Long> map = new EnumMap<>(State.class);
      for (int i = 0; i < stateThenCount.length; i += 2) {
        map.put((State) stateThenCount[i], ((Number) stateThenCount[i + 1]).longValue());
      }
      counts.put(id, map);
    }

    @Override
    public Map<State, Long> counts(String tenant, String id) {
      return counts.getOrDefault(id, Map.of());
    }

    @Override
    public long accepted(String tenant, String id) {
      return accepted.getOrDefault(id, 0L);
    }

    @Override
    public BulkControl.Mode control(String tenant, String id) {
      return control.getOrDefault(id, BulkControl.Mode.RUNNING);
    }
  }

  private static StatusEvent event(String bulkId, String key, Instant at) {
    return StatusEvent.accepted(bulkId + "/" + key, "billing", at).ofBulk(bulkId, key);
  }

  private JsonObject only() {
    JsonArray rows = board.snapshot(source);
    assertThat(rows).hasSize(1);
    return rows.getJsonObject(0);
  }

  private void tick() {
    clock.addAndGet(1000);
  }

  @Test
  void theRateIsTheRecipientsFinishedOverTheLastTenSecondsAndTheEtaTheRestAtThatRate() {
    board.active("billing", "statements", null);
    source.accepted.put("statements", 10_000L);
    for (int second = 0; second <= 15; second++) {
      // 50 a second for the first 5 seconds, then 20 a second
      long finished = second <= 5 ? 50L * second : 250 + 20L * (second - 5);
      source.counts("statements", State.SENT, finished, State.RETRYING, 3);
      JsonObject row = only();
      if (second == 0) {
        assertThat(row.getValue("ratePerSecond")).as("one sample: no rate yet").isNull();
        assertThat(row.getValue("etaSeconds")).isNull();
      }
      if (second == 5) {
        assertThat(row.getDouble("ratePerSecond")).isEqualTo(50.0);
        assertThat(row.getLong("etaSeconds")).isEqualTo((10_000 - 250) / 50);
      }
      if (second == 15) {
        assertThat(row.getDouble("ratePerSecond")).as("only the last 10 s count").isEqualTo(20.0);
        assertThat(row.getLong("etaSeconds")).as("9,550 at 20/s, rounded up").isEqualTo(478);
        assertThat(row.getLong("finished")).isEqualTo(450);
        assertThat(row.getLong("jobs")).isEqualTo(453);
        assertThat(row.getLong("recipients")).isEqualTo(10_000);
        assertThat(row.getDouble("progress")).isEqualTo(0.045);
      }
      tick();
    }
  }

  @Test
  void aPausedOrCancelledSendHasNoEtaAndAFinishedOneNone() {
    board.active("billing", "paused", null);
    source.accepted.put("paused", 100L);
    source.control.put("paused", BulkControl.Mode.PAUSED);
    source.counts("paused", State.SENT, 10);
    board.snapshot(source);
    tick();
    source.counts("paused", State.SENT, 20);
    JsonObject paused = only();
    assertThat(paused.getDouble("ratePerSecond")).isEqualTo(10.0);
    assertThat(paused.getValue("etaSeconds")).isNull();
    assertThat(paused.getString("control")).isEqualTo("PAUSED");

    source.control.put("paused", BulkControl.Mode.CANCELLED);
    assertThat(only().getValue("etaSeconds")).isNull();

    source.counts("paused", State.SENT, 20, State.CANCELLED, 80);
    JsonObject done = only();
    assertThat(done.getLong("etaSeconds")).isZero();
    assertThat(done.getDouble("progress")).isEqualTo(1.0);
  }

  @Test
  void theCountsAreSentFailedCancelledRejectedAndOther() {
    board.active("billing", "s", null);
    source.counts("s", State.SENT, 5, State.FAILED, 2, State.EXPIRED, 1, State.CANCELLED, 3, State.REJECTED, 4,
        State.DUPLICATE, 1, State.SUPPRESSED, 1, State.RETRYING, 2);
    JsonObject row = only();
    assertThat(row.getLong("sent")).isEqualTo(5);
    assertThat(row.getLong("failed")).as("FAILED and EXPIRED").isEqualTo(3);
    assertThat(row.getLong("cancelled")).isEqualTo(3);
    assertThat(row.getLong("rejected")).isEqualTo(4);
    assertThat(row.getLong("other")).isEqualTo(2);
    assertThat(row.getLong("finished")).isEqualTo(17);
    assertThat(row.getLong("recipients")).as("published on mail.jobs, not uploaded: the jobs seen").isEqualTo(19);
    assertThat(row.getString("tenant")).isEqualTo("billing");
  }

  @Test
  void theEventsOfBulkRecipientsMakeTheirSendActiveAndOthersAreIgnored() {
    board.record(List.of(StatusEvent.accepted("single", "billing", T0), event("a", "k1", T0),
        event("b", "k1", T0.plusSeconds(1)), event("a", "k2", T0.plusSeconds(2))));

    assertThat(board.snapshot(source).stream().map(r -> ((JsonObject) r).getString("id")))
        .as("most recently active first").containsExactly("a", "b");
  }

  @Test
  void atMostTheLastTwentyActiveSendsAreKept() {
    for (int i = 0; i < BulkBoard.SHOWN + 5; i++) {
      board.active("billing", "send-" + i, null);
    }
    JsonArray rows = board.snapshot(source);
    assertThat(rows).hasSize(BulkBoard.SHOWN);
    assertThat(rows.getJsonObject(0).getString("id")).isEqualTo("send-" + (BulkBoard.SHOWN + 4));
    assertThat(rows.getJsonObject(BulkBoard.SHOWN - 1).getString("id")).isEqualTo("send-5");
  }

  @Test
  void aFinishedSendDropsOffFiveMinutesAfterItsLastEventAnUnfinishedOneAfterAnHourUnlessPaused() {
    board.record(List.of(event("done", "k", T0), event("stuck", "k", T0), event("paused", "k", T0)));
    source.accepted.putAll(Map.of("done", 2L, "stuck", 2L, "paused", 2L));
    source.counts("done", State.SENT, 2);
    source.counts("stuck", State.SENT, 1);
    source.counts("paused", State.SENT, 1);
    source.control.put("paused", BulkControl.Mode.PAUSED);

    clock.set(T0.plus(BulkBoard.LINGER).toEpochMilli());
    assertThat(board.snapshot(source)).hasSize(3);
    clock.addAndGet(1);
    assertThat(board.snapshot(source).stream().map(r -> ((JsonObject) r).getString("id")))
        .containsExactly("paused", "stuck");
    clock.set(T0.plus(BulkBoard.IDLE).toEpochMilli() + 1);
    assertThat(board.snapshot(source).stream().map(r -> ((JsonObject) r).getString("id")))
        .containsExactly("paused");
  }
}
