package io.postroom.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bulk jobs as an upstream system would publish them on the jobs topic: a statement to many
 * citizens, each recipient with a key {@code c-<n>}, an address {@code citizen<n>@example.org}, and
 * their own name and amount, so that a delivered mail can be checked against the recipient it was for.
 */
public final class SampleBulks {
  private static final Pattern CITIZEN = Pattern.compile("citizen(\\d+)@example\\.org");

  private SampleBulks() {
  }

  /** Recipient {@code n}, as {@link #statement} writes it. */
  public static JsonObject citizen(int n) {
    return new JsonObject().put("key", "c-" + n).put("to", "citizen" + n + "@example.org")
        .put("vars", new JsonObject().put("name", "Citizen " + n).put("amount", n + ".00"));
  }

  /** The name a delivered mail of recipient {@code n} must greet. */
  public static String greeting(int n) {
    return "Dear Citizen " + n + ", you were paid " + n + ".00";
  }

  /** Whether a mail the relay took is addressed to a citizen and greets that very citizen ({@link #greeting}). */
  public static boolean greetsItsRecipient(ReceivedMail mail) {
    Matcher to = CITIZEN.matcher(String.join(",", mail.recipients()));
    return to.find() && mail.text().contains(greeting(Integer.parseInt(to.group(1))));
  }

  /** A bulk job with recipients {@code from} (inclusive) to {@code to} (exclusive), each made by {@code recipient}. */
  public static JsonObject statement(String id, String tenant, int from, int to, IntFunction<JsonObject> recipient) {
    JsonArray recipients = new JsonArray();
    for (int n = from; n < to; n++) {
      recipients.add(recipient.apply(n));
    }
    return bulk(id, null, tenant, "Pensions <noreply@example.gov.in>", new JsonObject()
            .put("subject", "Your statement, {{name}}")
            .put("text", "Dear {{name}}, you were paid {{amount}}.\nRegards\n")
            .put("html", "<p>Dear {{name}}, you were paid <b>{{amount}}</b>.</p>"),
        "bulk", recipients);
  }

  /**
   * A bulk job in the contract's shape (DESIGN.md, "Bulk sends"): one template, the given recipients
   * ({@code {"key", "to", "vars"}} each); {@code part} is left out when null.
   */
  public static JsonObject bulk(String id, Integer part, String tenant, String from, JsonObject template,
      String priority, JsonArray recipients) {
    JsonObject bulk = new JsonObject()
        .put("kind", "bulk")
        .put("id", id)
        .put("tenant", tenant)
        .put("from", from)
        .put("template", template)
        .put("priority", priority)
        .put("recipients", recipients);
    if (part != null) {
      bulk.put("part", part);
    }
    return bulk;
  }

  /** {@link #statement} with every recipient a {@link #citizen}. */
  public static JsonObject statement(String id, String tenant, int from, int to) {
    return statement(id, tenant, from, to, SampleBulks::citizen);
  }
}
