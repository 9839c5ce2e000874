package io.postroom.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusEventTest {

  private static StatusEvent sent() {
    return new StatusEvent("order-4711", "billing", State.SENT, 1, "<lq2.abc@example.gov.in>", "primary", 250,
        "2.0.0", "250 2.0.0 Ok: queued as 1DB2CCD67", List.of("x@example.org"), null, null,
        Instant.parse("2026-11-22T10:00:01.234Z"));
  }

  @Test
  void jsonUsesTheContractsFieldNames() {
    JsonObject json = sent().toJson();

    assertThat(json.fieldNames()).contains("id", "tenant", "state", "attempt", "messageId", "relay", "smtpCode",
        "enhancedCode", "reply", "rejectedRecipients", "error", "at");
    assertThat(json.getString("state")).isEqualTo("SENT");
    assertThat(json.getString("at")).isEqualTo("2026-11-22T10:00:01.234Z");
    assertThat(json.containsKey("error")).isTrue();
    assertThat(json.getValue("error")).isNull();
  }

  @Test
  void timeAlwaysHasMilliseconds() {
    StatusEvent event = StatusEvent.rejected("a", "b", ErrorCode.BAD_ADDRESS, "bad", Instant.parse("2026-11-22T10:00:00Z"));

    assertThat(event.toJson().getString("at")).isEqualTo("2026-11-22T10:00:00.000Z");
  }

  @Test
  void survivesARoundTripThroughJson() {
    assertThat(StatusEvent.fromJson(sent().toJson())).isEqualTo(sent());
  }

  @Test
  void rejectedEventCarriesTheCode() {
    StatusEvent event = StatusEvent.fromJson(
        StatusEvent.rejected("a", "b", ErrorCode.HEADER_INJECTION, "subject has a line break", Instant.now()).toJson());

    assertThat(event.state()).isEqualTo(State.REJECTED);
    assertThat(event.errorCode()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(event.state().terminal()).isTrue();
  }

  @Test
  void onlyFinalStatesAreTerminal() {
    assertThat(State.RETRYING.terminal()).isFalse();
    assertThat(State.ACCEPTED.terminal()).isFalse();
    assertThat(List.of(State.SENT, State.FAILED, State.EXPIRED, State.REJECTED, State.DUPLICATE))
        .allMatch(State::terminal);
  }
}
