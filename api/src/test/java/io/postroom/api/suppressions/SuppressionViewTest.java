package io.postroom.api.suppressions;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which records of mail.suppressions the dashboard's unsubscribe count hears about. */
class SuppressionViewTest {
  private static final Instant SINCE = Instant.parse("2026-12-01T16:00:00Z");

  private static byte[] value(SuppressionReason reason, Instant at) {
    return new Suppression("pensions", "asha@example.org", "statements", reason, at, "one-click").toJson().encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anUnsubscribeOfTheLastDayIsCounted() {
    assertThat(SuppressionView.recentUnsubscribe(value(SuppressionReason.UNSUBSCRIBED, SINCE.plusSeconds(60)), SINCE))
        .hasValueSatisfying(s -> assertThat(s.address()).isEqualTo("asha@example.org"));
  }

  @Test
  void anOlderUnsubscribeAnotherReasonATombstoneOrAnythingElseIsNot() {
    assertThat(SuppressionView.recentUnsubscribe(value(SuppressionReason.UNSUBSCRIBED, SINCE.minusSeconds(60)), SINCE))
        .isEmpty();
    assertThat(SuppressionView.recentUnsubscribe(value(SuppressionReason.HARD_BOUNCE, SINCE.plusSeconds(60)), SINCE))
        .isEmpty();
    assertThat(SuppressionView.recentUnsubscribe(null, SINCE)).isEmpty();
    assertThat(SuppressionView.recentUnsubscribe("{\"reason\":\"UNSUBSCRIBED\"}".getBytes(StandardCharsets.UTF_8),
        SINCE)).isEmpty();
  }
}
