package io.postroom.contract.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BulkControlTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void isReadBackFromItsRecord() {
    BulkControl cancel = new BulkControl("pensions", "statement-12", BulkControl.Mode.CANCELLED, AT);
    assertThat(BulkControl.fromJson(cancel.toJson().toBuffer().getBytes())).contains(cancel);
  }

  @Test
  void itsKeyIsTenantSlashId() {
    assertThat(new BulkControl("pensions", "statement-12", BulkControl.Mode.PAUSED, AT).key())
        .isEqualTo("pensions/statement-12");
  }

  @Test
  void aRecordThatIsNotAControlIsSkipped() {
    assertThat(BulkControl.fromJson("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(BulkControl.fromJson("{\"tenant\":\"t\",\"id\":\"b\",\"state\":\"STOP\"}".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
    assertThat(BulkControl.fromJson("{\"tenant\":\"t\",\"state\":\"PAUSED\"}".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }
}
