package io.postroom.api.bulk;

import io.postroom.contract.bulk.BulkControl;
import io.postroom.api.http.JobPublisher;
import io.postroom.api.http.Problem;
import io.postroom.api.http.Responses;
import io.postroom.api.status.JobStatusStore;
import io.postroom.contract.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code GET /v1/bulk/{id}}: the parts uploaded and their recipients accepted and rejected (from
 * {@code mail.bulk}), the state asked for (from {@code mail.bulk.control}) and, live from the
 * status store, how many of the send's jobs are in each state. {@code POST /v1/bulk/{id}/cancel},
 * {@code /pause} and {@code /resume}: a record on {@code mail.bulk.control} (key
 * {@code <tenant>/<id>}, value {@code {"tenant", "id", "state", "at"}}) that the dispatchers follow;
 * {@code 202} once Kafka has it. A key sees and controls its own tenant's sends only: another's is 404.
 */
public final class BulkProgress {
  private final Vertx vertx;
  private final BulkSends sends;
  private final JobStatusStore store;
  private final JobPublisher publisher;
  private final String controlTopic;
  private final Future<Void> ready;

  public BulkProgress(Vertx vertx, BulkSends sends, JobStatusStore store, JobPublisher publisher, String controlTopic,
      Future<Void> ready) {
    this.vertx = vertx;
    this.sends = sends;
    this.store = store;
    this.publisher = publisher;
    this.controlTopic = controlTopic;
    this.ready = ready;
  }

  public void get(RoutingContext ctx, String tenant) {
    String id = ctx.pathParam("id");
    known(tenant, id).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      Map<State, Long> counts = found.result();
      SortedMap<Integer, BulkSends.Part> parts = sends.parts(tenant, id);
      if (counts.isEmpty() && parts.isEmpty()) {
        unknown(ctx, tenant, id);
        return;
      }
      JsonArray partList = new JsonArray();
      int accepted = 0;
      int rejected = 0;
      for (BulkSends.Part part : parts.values()) {
        partList.add(part.toJson());
        accepted += part.accepted();
        rejected += part.rejected();
      }
      JsonObject states = new JsonObject();
      long jobs = 0;
      long finished = 0;
      for (Map.Entry<State, Long> count : counts.entrySet()) {
        states.put(count.getKey().name(), count.getValue());
        jobs += count.getValue();
        finished += count.getKey().terminal() ? count.getValue() : 0;
      }
      ctx.json(new JsonObject().put("id", id).put("tenant", tenant).put("control", sends.control(tenant, id).name())
          .put("accepted", accepted).put("rejected", rejected).put("parts", partList)
          .put("states", states).put("jobs", jobs).put("finished", finished));
    });
  }

  /** Asks the dispatchers to bring the send into {@code state}. */
  public void control(RoutingContext ctx, String tenant, BulkControl.Mode state) {
    String id = ctx.pathParam("id");
    known(tenant, id).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      if (found.result().isEmpty() && sends.owner(id).filter(tenant::equals).isEmpty()) {
        unknown(ctx, tenant, id);
        return;
      }
      BulkControl.Mode now = sends.control(tenant, id);
      if (now == BulkControl.Mode.CANCELLED && state != BulkControl.Mode.CANCELLED) {
        Responses.problem(ctx, Problem.of(409, "bulk-cancelled", "The bulk send was cancelled",
            "bulk send '" + id + "' was cancelled, which cannot be undone; send again under a new id"));
        return;
      }
      BulkControl control = new BulkControl(tenant, id, state, Instant.now());
      publisher.send(KafkaProducerRecord.create(controlTopic, control.key(), control.toJson().toBuffer()))
          .onComplete(written -> {
            if (written.failed()) {
              Responses.problem(ctx, Problem.of(503, "kafka-unavailable", "The request could not be handed to Kafka",
                  "Kafka did not take it (" + written.cause().getMessage() + "); try again"), "Retry-After", "5");
              return;
            }
            sends.applyControl(control.toJson().toBuffer().getBytes());
            ctx.response().setStatusCode(202).putHeader("Location", "/v1/bulk/" + id);
            ctx.json(control.toJson());
          });
    });
  }

  /** The send's counts per state, once the bulk topics have been read. */
  private Future<Map<State, Long>> known(String tenant, String id) {
    return ready.compose(caughtUp -> vertx.executeBlocking(() -> store.bulkCounts(tenant, id), false));
  }

  private static void unknown(RoutingContext ctx, String tenant, String id) {
    Responses.problem(ctx, Problem.of(404, "unknown-bulk", "No such bulk send", "no bulk send with id '" + id
        + "' is known for tenant '" + tenant + "' (it shows here once a part of it was uploaded, or its first"
        + " recipient's status event was read)"));
  }
}
