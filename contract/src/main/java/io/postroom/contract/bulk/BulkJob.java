package io.postroom.contract.bulk;

import io.postroom.contract.Address;
import io.postroom.contract.Priority;
import io.postroom.contract.template.TemplateSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A bulk job's own fields, after validation; its recipients are read one at a time from
 * {@link BulkReading#recipients()}, never held here.
 *
 * @param part which part of a send uploaded in several parts under the same id, or null
 * @param maxRate messages per second for this send, on top of the tenant's and relays' limits, or null
 * @param stream the tenant's category of mail (the scope of an unsubscribe), or null
 */
public record BulkJob(
    String id,
    String tenant,
    Address from,
    Address replyTo,
    TemplateSpec template,
    Priority priority,
    Instant notBefore,
    Instant expiresAt,
    Integer part,
    Double maxRate,
    String stream) {

  /** The job id of the recipient with this key. */
  public String jobId(String key) {
    return id + "/" + key;
  }

  /**
   * The fields every recipient's job of this send carries: tenant, from, replyTo, priority,
   * notBefore, expiresAt, stream and bulkId (all but the recipient's own id, address and key, and the
   * template).
   */
  public JsonObject sendFields() {
    JsonObject json = new JsonObject().put("tenant", tenant).put("from", from.toString());
    if (replyTo != null) {
      json.put("replyTo", replyTo.toString());
    }
    json.put("priority", priority.json());
    if (notBefore != null) {
      json.put("notBefore", notBefore.toString());
    }
    if (expiresAt != null) {
      json.put("expiresAt", expiresAt.toString());
    }
    if (stream != null) {
      json.put("stream", stream);
    }
    return json.put("bulkId", id);
  }

  /**
   * The recipient's job as JSON, all but its subject and body: the send's fields, the recipient's
   * id, address and key.
   */
  public JsonObject jobJson(Recipient recipient) {
    return sendFields().put("id", jobId(recipient.key()))
        .put("to", new JsonArray().add(recipient.to().toString())).put("key", recipient.key());
  }
}
