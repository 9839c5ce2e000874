package io.postroom.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BulkStatusEventTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:01.234Z");

  @Test
  void anEventOfABulkSendCarriesBulkIdAndKey() {
    JsonObject json = StatusEvent.accepted("statement-2026-12/c-1001", "pensions", AT)
        .ofBulk("statement-2026-12", "c-1001").toJson();

    assertThat(json.getString("bulkId")).isEqualTo("statement-2026-12");
    assertThat(json.getString("key")).isEqualTo("c-1001");
  }

  @Test
  void anEventOfASingleJobLeavesBulkIdAndKeyOut() {
    JsonObject json = StatusEvent.accepted("order-4711", "billing", AT).toJson();

    assertThat(json.containsKey("bulkId")).isFalse();
    assertThat(json.containsKey("key")).isFalse();
  }

  @Test
  void bulkIdAndKeyAreReadBack() {
    StatusEvent event = StatusEvent.accepted("s/c-1", "pensions", AT).ofBulk("s", "c-1");

    assertThat(StatusEvent.fromJson(event.toJson())).isEqualTo(event);
  }

  @Test
  void cancelledAndSuppressedAreTerminalStates() {
    assertThat(State.CANCELLED.terminal()).isTrue();
    assertThat(State.SUPPRESSED.terminal()).isTrue();
  }

  @Test
  void aCancelledEventIsReadBack() {
    StatusEvent cancelled = new StatusEvent("s/c-1", "pensions", State.CANCELLED, 0, null, null, null, null, null,
        null, "its bulk send was cancelled", null, AT, "s", "c-1");

    assertThat(StatusEvent.fromJson(cancelled.toJson()).state()).isEqualTo(State.CANCELLED);
  }
}
