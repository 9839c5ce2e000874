package io.postroom.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusEventTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:01.234Z");

  private static StatusEvent sent() {
    return new StatusEvent("order-4711", "billing", State.SENT, 1, "<lq2.abc@example.gov.in>", "primary", 250,
        "2.0.0", "250 2.0.0 Ok: queued as 1DB2CCD67", List.of("x@example.org"), null, null, AT);
  }

  @Test
  void jsonHasExactlyTheContractsFieldNamesAndErrorCode() {
    assertThat(sent().toJson().fieldNames()).containsExactlyInAnyOrder("id", "tenant", "state", "attempt", "messageId",
        "relay", "smtpCode", "enhancedCode", "reply", "rejectedRecipients", "error", "errorCode", "at");
  }

  @Test
  void jsonMatchesTheContractsExample() {
    JsonObject json = sent().toJson();

    assertThat(json.getString("state")).isEqualTo("SENT");
    assertThat(json.getInteger("attempt")).isEqualTo(1);
    assertThat(json.getInteger("smtpCode")).isEqualTo(250);
    assertThat(json.getString("at")).isEqualTo("2026-11-22T10:00:01.234Z");
    assertThat(json.getJsonArray("rejectedRecipients").getList()).containsExactly("x@example.org");
  }

  @Test
  void anEventAboutAJobKeepsWhatBecameOfItAndTakesTheJobsIdentityAndTime() {
    StatusEvent undecided = new StatusEvent(null, null, State.SENT, 1, null, "primary", 250, "2.0.0",
        "250 2.0.0 Ok: queued as 1DB2CCD67", List.of("x@example.org"), null, null, null);

    assertThat(undecided.about("order-4711", "billing", "<lq2.abc@example.gov.in>", AT)).isEqualTo(sent());
  }

  @Test
  void nullsAreWrittenAsJsonNull() {
    JsonObject json = StatusEvent.accepted("a", "b", AT).toJson();

    assertThat(json.containsKey("error")).isTrue();
    assertThat(json.getValue("error")).isNull();
    assertThat(json.containsKey("smtpCode")).isTrue();
    assertThat(json.getValue("smtpCode")).isNull();
    assertThat(json.encode()).contains("\"errorCode\":null");
  }

  @Test
  void timeAlwaysHasMillisecondsInUtc() {
    StatusEvent event = StatusEvent.accepted("a", "b", Instant.parse("2026-11-22T10:00:00Z"));

    assertThat(event.toJson().getString("at")).isEqualTo("2026-11-22T10:00:00.000Z");
  }

  @Test
  void timeIsKeptToTheMillisecond() {
    StatusEvent event = StatusEvent.accepted("a", "b", Instant.parse("2026-11-22T10:00:00.123456789Z"));

    assertThat(event.at()).isEqualTo(Instant.parse("2026-11-22T10:00:00.123Z"));
  }

  @Test
  void survivesARoundTripThroughJson() {
    assertThat(StatusEvent.fromJson(sent().toJson())).isEqualTo(sent());
  }

  @Test
  void survivesARoundTripThroughEncodedJson() {
    assertThat(StatusEvent.fromJson(new JsonObject(sent().toJson().encode()))).isEqualTo(sent());
  }

  @Test
  void rejectedEventCarriesTheCodeAndReason() {
    StatusEvent event = StatusEvent.fromJson(
        StatusEvent.rejected("a", "b", ErrorCode.HEADER_INJECTION, "subject has a line break", AT).toJson());

    assertThat(event.state()).isEqualTo(State.REJECTED);
    assertThat(event.errorCode()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(event.error()).isEqualTo("subject has a line break");
  }

  @Test
  void rejectedEventFromAValidationCarriesItsIdCodeAndMessage() {
    JsonObject job = Jobs.minimal().put("to", new io.vertx.core.json.JsonArray().add("bob@"));
    Validation validation = Jobs.validate(job);

    StatusEvent event = StatusEvent.rejected(validation, AT);

    assertThat(event.id()).isEqualTo("order-4711-confirmation");
    assertThat(event.errorCode()).isEqualTo(ErrorCode.BAD_ADDRESS);
    assertThat(event.error()).isEqualTo(validation.message());
  }

  @Test
  void missingRejectedRecipientsBecomeAnEmptyList() {
    StatusEvent event = new StatusEvent("a", "b", State.FAILED, 1, null, null, 550, "5.1.1", null, null, "no", null, AT);

    assertThat(event.rejectedRecipients()).isEmpty();
    assertThat(event.toJson().getJsonArray("rejectedRecipients")).isEmpty();
  }

  @Test
  void unknownErrorCodeFromANewerWriterIsReadAsNull() {
    JsonObject json = sent().toJson().put("errorCode", "SOMETHING_NEW");

    assertThat(StatusEvent.fromJson(json).errorCode()).isNull();
  }

  @Test
  void unknownStateIsAnIllegalArgument() {
    assertThatThrownBy(() -> StatusEvent.fromJson(sent().toJson().put("state", "LOST")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LOST");
  }

  @Test
  void onlyFinalStatesAreTerminal() {
    assertThat(State.ACCEPTED.terminal()).isFalse();
    assertThat(State.RETRYING.terminal()).isFalse();
    assertThat(List.of(State.SENT, State.FAILED, State.EXPIRED, State.REJECTED, State.DUPLICATE))
        .allMatch(State::terminal);
  }
}
