package io.postroom.dispatcher.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.JobValidator;
import io.postroom.contract.Jobs;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.kafka.TopicFollower;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suppression list on RocksDB: what records of mail.suppressions do to it, and what a job's check finds. */
class SuppressionListTest {
  private static final JobValidator VALIDATOR = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  @TempDir
  Path parent;
  private SuppressionList list;
  private long offset;

  @BeforeEach
  void open() {
    list = SuppressionList.open(parent);
  }

  @AfterEach
  void close() throws InterruptedException {
    list.close();
  }

  private void put(String tenant, String stream, String address, SuppressionReason reason) {
    Suppression s = new Suppression(tenant, address, stream, reason, AT, "test");
    apply(s.key(), s.toJson().encode());
  }

  private void apply(String key, String value) {
    list.applyAll(List.of(new TopicFollower.Entry("mail.suppressions", 0, offset++, key,
        value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
  }

  private static io.postroom.contract.Job job(JsonObject json) {
    return VALIDATOR.validate(json).job();
  }

  @Test
  void aSuppressedRecipientIsFoundWithItsReasonWhateverTheCaseOfTheJobsAddress() {
    put("billing", null, "a@example.org", SuppressionReason.HARD_BOUNCE);

    assertThat(list.of(job(Jobs.minimal().put("to", new JsonArray().add("Asha <A@Example.org>")))))
        .containsExactly(new Suppressions.Suppressed("a@example.org", SuppressionReason.HARD_BOUNCE));
  }

  @Test
  void anotherTenantsSuppressionDoesNotCount() {
    put("pensions", null, "a@example.org", SuppressionReason.UNSUBSCRIBED);

    assertThat(list.of(job(Jobs.minimal()))).isEmpty();
  }

  @Test
  void aStreamsSuppressionCountsForJobsOfThatStreamOnly() {
    put("billing", "statements", "a@example.org", SuppressionReason.UNSUBSCRIBED);

    assertThat(list.of(job(Jobs.minimal().put("stream", "statements")))).hasSize(1);
    assertThat(list.of(job(Jobs.minimal().put("stream", "alerts")))).isEmpty();
    assertThat(list.of(job(Jobs.minimal()))).isEmpty();
  }

  @Test
  void aTombstoneLiftsTheSuppression() {
    put("billing", null, "a@example.org", SuppressionReason.MANUAL);
    apply("billing|*|a@example.org", null);

    assertThat(list.of(job(Jobs.minimal()))).isEmpty();
  }

  @Test
  void aRecordThatIsNotASuppressionOrIsFiledUnderAnotherKeyIsSkipped() {
    apply("billing|*|a@example.org", "not json");
    Suppression other = new Suppression("billing", "b@example.org", null, SuppressionReason.MANUAL, AT, "test");
    apply("billing|*|a@example.org", other.toJson().encode());

    assertThat(list.of(job(Jobs.minimal()))).isEmpty();
    assertThat(list.applied()).isEqualTo(2);
  }

  @Test
  void closingDeletesTheStoresDirectory() throws Exception {
    list.close();
    try (var files = Files.list(parent)) {
      assertThat(files).isEmpty();
    }
    list = SuppressionList.open(parent);
  }
}
