package io.postroom.contract.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A suppression as written on mail.suppressions: its key, its JSON, and what it refuses. */
class SuppressionTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void theKeyIsTenantStreamAndTheLowerCasedAddress() {
    Suppression s = new Suppression("pensions", " Asha@Example.ORG ", null, SuppressionReason.HARD_BOUNCE, AT,
        "bounce:j-1");

    assertThat(s.key()).isEqualTo("pensions|*|asha@example.org");
    assertThat(Suppression.key("pensions", "statements", "ASHA@example.org")).isEqualTo(
        "pensions|statements|asha@example.org");
  }

  @Test
  void itReadsBackFromItsJson() {
    Suppression s = new Suppression("pensions", "asha@example.org", "statements", SuppressionReason.UNSUBSCRIBED, AT,
        "one-click");

    assertThat(Suppression.fromJson(new JsonObject(s.toJson().encode()))).isEqualTo(s);
    assertThat(s.toJson().getString("reason")).isEqualTo("UNSUBSCRIBED");
    assertThat(s.toJson().getString("at")).isEqualTo("2026-12-02T10:00:00Z");
  }

  @Test
  void anUnknownReasonOrABadAddressOrAMissingTimeIsRefusedSayingWhich() {
    JsonObject json = new Suppression("t", "a@example.org", null, SuppressionReason.MANUAL, AT, null).toJson();

    assertThatThrownBy(() -> Suppression.fromJson(json.copy().put("reason", "BORED")))
        .hasMessageContaining("BORED");
    assertThatThrownBy(() -> Suppression.fromJson(json.copy().put("address", "Asha <a@example.org>")))
        .hasMessageContaining("bare");
    assertThatThrownBy(() -> Suppression.fromJson(json.copy().put("address", "nobody")))
        .hasMessageContaining("not an e-mail address");
    assertThatThrownBy(() -> Suppression.fromJson(json.copy().putNull("at"))).hasMessageContaining("'at'");
  }
}
