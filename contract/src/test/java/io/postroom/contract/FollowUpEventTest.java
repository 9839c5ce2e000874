package io.postroom.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.compliance.BounceKind;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BOUNCED and COMPLAINED follow a SENT job's event; suppressed recipients are named on the job's own event. */
class FollowUpEventTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
  private static final StatusEvent SENT = new StatusEvent("statement/c-1", "pensions", State.SENT, 1,
      "<lq3k2x9a.1y2b@example.gov.in>", "primary", 250, null, null, List.of(), null, null, AT).ofBulk("statement", "c-1");

  @Test
  void aBounceKeepsTheJobsIdentityAndNamesRecipientKindAndTheReportsStatus() {
    StatusEvent bounced = StatusEvent.followUp(SENT, "asha@example.org", BounceKind.HARD, 550, "5.1.1",
        "User unknown", AT.plusSeconds(60));
    JsonObject json = bounced.toJson();

    assertThat(json.getString("state")).isEqualTo("BOUNCED");
    assertThat(json.getString("id")).isEqualTo("statement/c-1");
    assertThat(json.getString("messageId")).isEqualTo("<lq3k2x9a.1y2b@example.gov.in>");
    assertThat(json.getString("recipient")).isEqualTo("asha@example.org");
    assertThat(json.getString("kind")).isEqualTo("hard");
    assertThat(json.getString("enhancedCode")).isEqualTo("5.1.1");
    assertThat(json.getString("reply")).isEqualTo("User unknown");
    assertThat(json.getString("bulkId")).isEqualTo("statement");
    assertThat(StatusEvent.fromJson(json)).isEqualTo(bounced);
    assertThat(bounced.state().terminal()).isFalse();
    assertThat(bounced.state().followUp()).isTrue();
  }

  @Test
  void aComplaintIsComplained() {
    StatusEvent complained = StatusEvent.followUp(SENT, "asha@example.org", BounceKind.COMPLAINT, null, null,
        "abuse", AT);

    assertThat(complained.state()).isEqualTo(State.COMPLAINED);
    assertThat(complained.toJson().getString("kind")).isEqualTo("complaint");
  }

  @Test
  void suppressedRecipientsAreNamedAndLeftOutOfTheJsonWhenThereAreNone() {
    StatusEvent withSuppressed = SENT.withSuppressed(List.of("b@example.org"));

    assertThat(withSuppressed.toJson().getJsonArray("suppressedRecipients").getList()).containsExactly("b@example.org");
    assertThat(StatusEvent.fromJson(withSuppressed.toJson())).isEqualTo(withSuppressed);
    assertThat(SENT.toJson().containsKey("suppressedRecipients")).isFalse();
    assertThat(SENT.toJson().containsKey("recipient")).isFalse();
    assertThat(SENT.toJson().containsKey("kind")).isFalse();
  }
}
