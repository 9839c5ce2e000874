package io.postroom.dispatcher.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.bulk.BulkJobReader;
import io.postroom.contract.bulk.BulkReading;
import io.postroom.contract.bulk.Recipient;
import io.postroom.contract.bulk.RecipientSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecipientJobJsonTest {

  private static BulkReading read(JsonObject bulk) {
    return BulkJobReader.read(bulk.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static Recipient first(BulkReading reading) {
    try (RecipientSource recipients = reading.recipients()) {
      return (Recipient) recipients.next();
    }
  }

  /** What the recipient's job must be: the contract's jobJson, the template and the recipient's vars. */
  private static JsonObject expected(BulkReading reading, Recipient recipient, String templateField, JsonObject template) {
    JsonObject job = reading.job().jobJson(recipient).put(templateField, template);
    return recipient.vars().asMap().isEmpty() ? job : job.put("vars", recipient.vars().toJson());
  }

  private static JsonObject bulk() {
    return new JsonObject().put("kind", "bulk").put("id", "statement-12").put("tenant", "pensions")
        .put("from", "Pensions \"Office\" <noreply@example.gov.in>").put("replyTo", "help@example.gov.in")
        .put("priority", "bulk").put("notBefore", "2026-12-02T10:00:00Z").put("expiresAt", "2026-12-03T10:00:00Z")
        .put("template", new JsonObject().put("subject", "Hi {{name}}").put("text", "Dear \"{{name}}\"\n\\ é")
            .put("html", "<p>{{name}}</p>"))
        .put("recipients", new JsonArray().add(new JsonObject().put("key", "c-1 \"q\"").put("to", "asha@example.org")
            .put("vars", new JsonObject().put("name", "Asha \u2603").put("n", 3).put("list", new JsonArray().add(1)))));
  }

  @Test
  void isTheContractsJobJsonWithTheTemplateAndTheVars() {
    BulkReading reading = read(bulk());
    Recipient recipient = first(reading);
    JsonObject written = new RecipientJobJson(reading.job()).of(recipient).toJsonObject();
    assertThat(written).isEqualTo(expected(reading, recipient, "template", bulk().getJsonObject("template")));
  }

  @Test
  void aRegisteredTemplateIsNamedByItsRef() {
    JsonObject ref = new JsonObject().put("name", "statement").put("version", 3);
    JsonObject bulk = bulk().put("templateRef", ref);
    bulk.remove("template");
    BulkReading reading = read(bulk);
    Recipient recipient = first(reading);
    assertThat(new RecipientJobJson(reading.job()).of(recipient).toJsonObject())
        .isEqualTo(expected(reading, recipient, "templateRef", ref));
  }

  @Test
  void aRecipientWithoutVarsHasNone() {
    JsonObject bulk = bulk();
    bulk.getJsonArray("recipients").getJsonObject(0).remove("vars");
    bulk.put("template", new JsonObject().put("subject", "Hi").put("text", "Dear citizen"));
    BulkReading reading = read(bulk);
    Recipient recipient = first(reading);
    JsonObject written = new RecipientJobJson(reading.job()).of(recipient).toJsonObject();
    assertThat(written.containsKey("vars")).isFalse();
    assertThat(written).isEqualTo(expected(reading, recipient, "template", bulk.getJsonObject("template")));
  }
}
