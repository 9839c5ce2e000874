package io.postroom.dispatcher.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.bulk.BulkControl;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BulkControlsTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
  private final BulkControls controls = new BulkControls();

  private static byte[] control(String tenant, String id, BulkControl.Mode mode) {
    return new BulkControl(tenant, id, mode, AT).toJson().toBuffer().getBytes();
  }

  @Test
  void aSendNobodyAskedAnythingOfIsRunning() {
    assertThat(controls.mode("pensions", "statement")).isEqualTo(BulkControl.Mode.RUNNING);
  }

  @Test
  void theLatestControlOfASendCounts() {
    controls.apply("pensions/statement", control("pensions", "statement", BulkControl.Mode.PAUSED));
    controls.apply("pensions/statement", control("pensions", "statement", BulkControl.Mode.CANCELLED));
    assertThat(controls.mode("pensions", "statement")).isEqualTo(BulkControl.Mode.CANCELLED);
  }

  @Test
  void aControlIsAboutOneTenantsSend() {
    controls.apply("pensions/statement", control("pensions", "statement", BulkControl.Mode.CANCELLED));
    assertThat(controls.mode("billing", "statement")).isEqualTo(BulkControl.Mode.RUNNING);
  }

  @Test
  void aTombstoneForgetsTheSend() {
    controls.apply("pensions/statement", control("pensions", "statement", BulkControl.Mode.PAUSED));
    assertThat(controls.apply("pensions/statement", null)).isNull();
    assertThat(controls.mode("pensions", "statement")).isEqualTo(BulkControl.Mode.RUNNING);
  }

  @Test
  void aRecordFiledUnderAnotherSendsKeyIsSkippedWithAReason() {
    assertThat(controls.apply("billing/statement", control("pensions", "statement", BulkControl.Mode.CANCELLED)))
        .contains("pensions/statement");
    assertThat(controls.mode("pensions", "statement")).isEqualTo(BulkControl.Mode.RUNNING);
    assertThat(controls.mode("billing", "statement")).isEqualTo(BulkControl.Mode.RUNNING);
  }

  @Test
  void aRecordThatIsNotAControlIsSkippedWithAReason() {
    assertThat(controls.apply("pensions/statement", "{}".getBytes(StandardCharsets.UTF_8))).contains("not a control");
  }
}
