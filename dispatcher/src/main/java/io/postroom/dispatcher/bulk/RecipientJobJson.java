package io.postroom.dispatcher.bulk;

import io.postroom.contract.bulk.BulkJob;
import io.postroom.contract.bulk.Recipient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The JSON of a bulk send's recipient jobs: what {@link BulkJob#jobJson} plus the template and the
 * recipient's vars make, written with the send's own fields ({@link BulkJob#sendFields} and the
 * template) encoded once per record rather than once per recipient, which was most of
 * the expander's cost: a template is usually the largest part of a recipient's job.
 */
final class RecipientJobJson {
  /** The send's fields, encoded, after the recipient's own: {@code ,"tenant":…,"template":{…}}}. */
  private final String sendFields;
  private final BulkJob bulk;

  RecipientJobJson(BulkJob bulk) {
    this.bulk = bulk;
    JsonObject fields = bulk.sendFields();
    if (bulk.template().needsRegistry()) {
      fields.put("templateRef", new JsonObject().put("name", bulk.template().ref().name())
          .put("version", bulk.template().ref().version()));
    } else {
      fields.put("template", bulk.template().inline().toJson());
    }
    this.sendFields = "," + fields.encode().substring(1);
  }

  /** The recipient's job, UTF-8. */
  Buffer of(Recipient recipient) {
    StringBuilder json = new StringBuilder(sendFields.length() + 256)
        .append("{\"id\":").append(Json.encode(bulk.jobId(recipient.key())))
        .append(",\"to\":[").append(Json.encode(recipient.to().toString()))
        .append("],\"key\":").append(Json.encode(recipient.key()));
    if (!recipient.vars().asMap().isEmpty()) {
      json.append(",\"vars\":").append(recipient.vars().toJson().encode());
    }
    return Buffer.buffer(json.append(sendFields).toString());
  }
}
