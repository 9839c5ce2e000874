package io.postroom.contract;

import static io.postroom.contract.Jobs.validate;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobTest {

  @Test
  void minimalJobSurvivesARoundTripThroughJson() {
    Job job = validate(Jobs.minimal()).job();

    assertThat(validate(job.toJson()).job()).isEqualTo(job);
  }

  @Test
  void fullJobSurvivesARoundTripThroughJson() {
    Job job = validate(Jobs.full()).job();

    assertThat(validate(job.toJson()).job()).isEqualTo(job);
  }

  @Test
  void fullJobIsReadFieldByField() {
    Job job = validate(Jobs.full()).job();

    assertThat(job.from()).isEqualTo(new Address("Billing", "noreply@example.gov.in"));
    assertThat(job.replyTo()).isEqualTo(new Address(null, "help@example.gov.in"));
    assertThat(job.cc()).containsExactly(new Address("Doe, Jane", "jane@example.org"));
    assertThat(job.html()).isEqualTo("<p>html body</p>");
    assertThat(job.headers()).containsEntry("X-Campaign", "q4");
    assertThat(job.attachments().get(0).data()).asString(StandardCharsets.US_ASCII).isEqualTo("%PDF-1.4");
    assertThat(job.priority()).isEqualTo(Priority.HIGH);
    assertThat(job.notBefore()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    assertThat(job.expiresAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
  }

  @Test
  void jsonHasTheContractsShape() {
    JsonObject json = validate(Jobs.full()).job().toJson();

    assertThat(json.getString("from")).isEqualTo("Billing <noreply@example.gov.in>");
    assertThat(json.getJsonArray("cc").getString(0)).isEqualTo("\"Doe, Jane\" <jane@example.org>");
    assertThat(json.getString("priority")).isEqualTo("high");
    assertThat(json.getString("notBefore")).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(json.getJsonArray("attachments").getJsonObject(0).getString("data")).isEqualTo(Jobs.base64("%PDF-1.4"));
  }

  @Test
  void jsonLeavesOutAbsentOptionalFields() {
    JsonObject json = validate(Jobs.minimal()).job().toJson();

    assertThat(json.fieldNames()).doesNotContain("replyTo", "html", "notBefore", "expiresAt");
    assertThat(json.getString("priority")).isEqualTo("normal");
  }

  @Test
  void recipientsAreToThenCcThenBcc() {
    Job job = validate(Jobs.full()).job();

    assertThat(job.recipients()).extracting(Address::email).containsExactly(
        "a@example.org", "bob@example.org", "jane@example.org", "audit@example.gov.in");
  }

  @Test
  void listsAndHeadersCannotBeChanged() {
    Job job = validate(Jobs.full()).job();

    assertThat(job.to()).isUnmodifiable();
    assertThat(job.recipients()).isUnmodifiable();
    assertThat(job.attachments()).isUnmodifiable();
    assertThat(job.headers()).isUnmodifiable();
  }

  @Test
  void missingListsAndHeadersBecomeEmpty() {
    Job job = new Job("id", "t", new Address(null, "a@example.org"), null, List.of(new Address(null, "b@example.org")),
        null, null, "s", "t", null, null, null, null, null, null);

    assertThat(job.cc()).isEmpty();
    assertThat(job.headers()).isEmpty();
    assertThat(job.attachments()).isEmpty();
    assertThat(job.priority()).isEqualTo(Priority.NORMAL);
  }
}
