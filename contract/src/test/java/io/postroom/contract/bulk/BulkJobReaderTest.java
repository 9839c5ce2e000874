package io.postroom.contract.bulk;

import static io.postroom.contract.bulk.BulkJobs.asha;
import static io.postroom.contract.bulk.BulkJobs.read;
import static io.postroom.contract.bulk.BulkJobs.statement;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Priority;
import io.postroom.contract.Violation;
import io.postroom.contract.template.TemplateRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BulkJobReaderTest {

  @Test
  void designsExampleIsValid() {
    BulkReading reading = read(statement(asha()));

    assertThat(reading.valid()).as(reading.message()).isTrue();
    assertThat(reading.job().id()).isEqualTo("pension-statement-2026-12");
    assertThat(reading.job().from().email()).isEqualTo("noreply@example.gov.in");
    assertThat(reading.job().part()).isEqualTo(1);
    assertThat(reading.job().maxRate()).isEqualTo(200.0);
    assertThat(reading.job().stream()).isEqualTo("statements");
    assertThat(reading.recipientCount()).isEqualTo(1);
  }

  @Test
  void priorityDefaultsToBulk() {
    assertThat(read(statement(asha())).job().priority()).isEqualTo(Priority.BULK);
  }

  @Test
  void fieldsAfterTheRecipientsAreRead() {
    String json = "{\"recipients\": [{\"key\": \"k\", \"to\": \"a@example.org\", \"vars\": {\"name\": \"A\"}}],"
        + " \"kind\": \"bulk\", \"id\": \"b\", \"tenant\": \"t\", \"from\": \"f@example.org\","
        + " \"template\": {\"subject\": \"Hi {{name}}\", \"text\": \"x\"}}";

    BulkReading reading = BulkJobReader.read(json.getBytes(StandardCharsets.UTF_8));

    assertThat(reading.valid()).as(reading.message()).isTrue();
    assertThat(BulkJobs.entries(reading)).hasSize(1);
  }

  @Test
  void aBulkIdWithASlashIsRefused() {
    BulkReading reading = read(statement(asha()).put("id", "a/b"));

    assertThat(reading.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(reading.violations()).extracting(Violation::field).containsExactly("id");
    assertThat(reading.id()).isNull();
  }

  @Test
  void aBulkIdLongerThan120IsRefused() {
    assertThat(read(statement(asha()).put("id", "b".repeat(121))).violations()).extracting(Violation::field)
        .containsExactly("id");
  }

  @Test
  void aMissingIdRejectsTheBulkJob() {
    JsonObject bulk = statement(asha());
    bulk.remove("id");

    assertThat(read(bulk).code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void aBadTemplateRejectsTheBulkJobSayingWhere() {
    BulkReading reading = read(statement(asha()).put("template",
        new JsonObject().put("subject", "s").put("html", "<p>\n{{{name}}}</p>")));

    assertThat(reading.code()).isEqualTo(ErrorCode.BAD_TEMPLATE);
    assertThat(reading.violations().get(0).field()).isEqualTo("template.html");
    assertThat(reading.message()).startsWith("template.html line 2 column 1:");
  }

  @Test
  void aBulkJobWithoutTemplateIsRefused() {
    JsonObject bulk = statement(asha());
    bulk.remove("template");

    assertThat(read(bulk).violations()).extracting(Violation::field).containsExactly("template");
  }

  @Test
  void aTemplateRefIsKeptForARegistryLookUp() {
    JsonObject bulk = statement(asha());
    bulk.remove("template");
    bulk.put("templateRef", new JsonObject().put("name", "statement").put("version", 3));

    BulkReading reading = read(bulk);

    assertThat(reading.job().template().needsRegistry()).isTrue();
    assertThat(reading.job().template().ref()).isEqualTo(new TemplateRef("statement", 3));
  }

  @Test
  void theSharedJobRulesApply() {
    BulkReading reading = read(statement(asha()).put("tenant", "bad tenant").put("from", "nobody")
        .put("expiresAt", "2026-11-21T10:00:00Z").put("notBefore", "2026-11-22T10:00:00Z"));

    assertThat(reading.violations()).extracting(Violation::field).containsExactly("tenant", "from", "expiresAt");
  }

  @Test
  void anotherKindIsRefused() {
    assertThat(read(statement(asha()).put("kind", "single")).violations()).extracting(Violation::field)
        .containsExactly("kind");
  }

  @Test
  void recipientsMustBeAnArray() {
    assertThat(read(statement().put("recipients", "a@example.org")).violations()).extracting(Violation::field)
        .containsExactly("recipients");
  }

  @Test
  void noRecipientsIsRefused() {
    assertThat(read(statement()).code()).isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void brokenJsonIsInvalidJson() {
    assertThat(BulkJobReader.read("{\"kind\": \"bulk\", \"recipients\": [{]".getBytes(StandardCharsets.UTF_8)).code())
        .isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  void aBadRecipientDoesNotRejectTheBulkJob() {
    BulkReading reading = read(statement(asha(), new JsonObject().put("to", "nobody")));

    assertThat(reading.valid()).isTrue();
    assertThat(reading.recipientCount()).isEqualTo(2);
  }

  @Test
  void isBulkReadsTheKind() {
    assertThat(BulkJobReader.isBulk(statement(asha()).encode().getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(BulkJobReader.isBulk("{\"id\": \"x\", \"to\": [\"a@example.org\"]}".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(BulkJobReader.isBulk("{\"recipients\": [{\"kind\": \"bulk\"}]}".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(BulkJobReader.isBulk(new JsonArray().encode().getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void invalidUtf8InARecipientIsInvalidJsonOfTheBulkJob() {
    byte[] start = "{\"kind\": \"bulk\", \"id\": \"b\", \"tenant\": \"t\", \"from\": \"f@example.org\", \"template\": {\"subject\": \"s\", \"text\": \"x\"}, \"recipients\": [{\"key\": \"k\", \"to\": \"a@example.org\", \"vars\": {\"name\": \"".getBytes(StandardCharsets.UTF_8);
    byte[] end = "\"}}]}".getBytes(StandardCharsets.UTF_8);
    byte[] json = new byte[start.length + 2 + end.length];
    System.arraycopy(start, 0, json, 0, start.length);
    json[start.length] = (byte) 0xC3;
    json[start.length + 1] = (byte) 0x28;
    System.arraycopy(end, 0, json, start.length + 2, end.length);

    assertThat(BulkJobReader.read(json).code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  void fieldsWhoseRecipientsComeElsewhereAreCheckedByTheSameRules() {
    JsonObject fields = statement();
    fields.remove("recipients");

    BulkReading reading = BulkJobReader.readFields(fields);

    assertThat(reading.valid()).as(reading.message()).isTrue();
    assertThat(reading.job().id()).isEqualTo("pension-statement-2026-12");
    assertThat(reading.recipientCount()).isZero();
  }

  @Test
  void fieldsWhoseRecipientsComeElsewhereAreRefusedWithRecipientsOrWithoutAnId() {
    JsonObject withRecipients = statement(asha());
    JsonObject withoutId = statement();
    withoutId.remove("recipients");
    withoutId.remove("id");

    assertThat(BulkJobReader.readFields(withRecipients).violations()).extracting(Violation::field)
        .containsExactly("recipients");
    assertThat(BulkJobReader.readFields(withoutId).violations()).extracting(Violation::field).containsExactly("id");
  }
}
