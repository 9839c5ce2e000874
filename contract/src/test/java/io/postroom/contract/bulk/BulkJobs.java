package io.postroom.contract.bulk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Bulk job JSON for the tests: DESIGN's example, and helpers to read it. */
final class BulkJobs {
  private BulkJobs() {
  }

  static JsonObject recipient(String key, String to, JsonObject vars) {
    return new JsonObject().put("key", key).put("to", to).put("vars", vars);
  }

  static JsonObject statement(JsonObject... recipients) {
    return new JsonObject()
        .put("kind", "bulk")
        .put("id", "pension-statement-2026-12")
        .put("tenant", "pensions")
        .put("from", "Pensions <noreply@example.gov.in>")
        .put("template", new JsonObject().put("subject", "Your statement, {{name}}")
            .put("text", "Dear {{name}}, you were paid {{amount}}.").put("html", "<p>Dear {{name}}</p>"))
        .put("recipients", new JsonArray(new ArrayList<>(List.of((Object[]) recipients))))
        .put("part", 1)
        .put("maxRate", 200)
        .put("stream", "statements");
  }

  static JsonObject asha() {
    return recipient("c-1001", "asha@example.org", new JsonObject().put("name", "Asha").put("amount", "1,200"));
  }

  static JsonObject ravi() {
    return recipient("c-1002", "ravi@example.org", new JsonObject().put("name", "Ravi").put("amount", "900"));
  }

  static BulkReading read(JsonObject bulk) {
    return BulkJobReader.read(bulk.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Every entry; for small test jobs only. */
  static List<RecipientEntry> entries(BulkReading reading) {
    List<RecipientEntry> entries = new ArrayList<>();
    try (RecipientSource source = reading.recipients()) {
      source.forEachRemaining(entries::add);
    }
    return entries;
  }
}
