package io.postroom.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.contract.ErrorCode;
import io.postroom.contract.Job;
import io.postroom.contract.JobValidator;
import io.postroom.contract.Validation;
import io.postroom.contract.Violation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.postroom.contract.StatusEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/jobs}: one job, or {@code {"jobs": [...]}} up to {@code maxBatch}. Every job is
 * checked with the dispatcher's own {@link JobValidator}, then against the caller's tenant and its
 * sender domains, and only then published; the answer comes after Kafka has the jobs.
 *
 * <ul>
 *   <li>one job: {@code 202 {"id", "state": "ACCEPTED"}}; invalid: {@code 400} with every error;
 *   <li>a batch: {@code 202 {"accepted": [...], "rejected": [...]}} when at least one job was
 *       accepted (each rejected one with its errors), {@code 400} when none was;
 *   <li>a job for another tenant, or from a sender domain the tenant may not use: {@code 403} for
 *       the whole request, nothing published;
 *   <li>Kafka not answering: {@code 503} with {@code Retry-After}, listing what was accepted anyway;
 *   <li>an id already known ({@link JobStates}): not published again; {@code 200} with its state
 *       ({@code "existing"} in a batch), or {@code 409} when another tenant's job has that id.
 * </ul>
 */
final class JobIntake {
  private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

  private final JobValidator validator;
  private final SenderPolicy senders;
  private final JobPublisher publisher;
  private final JobStates states;
  private final int maxBatch;
  private final MeterRegistry registry;

  JobIntake(JobValidator validator, SenderPolicy senders, JobPublisher publisher, JobStates states, int maxBatch,
      MeterRegistry registry) {
    this.validator = validator;
    this.senders = senders;
    this.publisher = publisher;
    this.states = states;
    this.maxBatch = maxBatch;
    this.registry = registry;
  }

  /** One job of a request, validated. */
  private record Item(int index, JsonObject json, Validation validation) {
    boolean valid() {
      return validation.valid();
    }
  }

  void handle(RoutingContext ctx, String tenant) {
    Object body;
    try {
      body = ctx.body().buffer() == null ? null : Buffer.buffer(ctx.body().buffer().getBytes()).toJsonValue();
    } catch (DecodeException e) {
      Responses.problem(ctx, Problem.of(400, "invalid-json", "The body is not JSON",
          "the request body could not be read as JSON: " + e.getMessage()));
      return;
    }
    if (!(body instanceof JsonObject object)) {
      Responses.problem(ctx, Problem.of(400, "invalid-json", "The body is not a JSON object",
          "send one job as a JSON object, or {\"jobs\": [...]}"));
      return;
    }
    if (object.containsKey("jobs")) {
      batch(ctx, tenant, object.getValue("jobs"));
    } else {
      single(ctx, tenant, object);
    }
  }

  private void single(RoutingContext ctx, String tenant, JsonObject json) {
    Item item = new Item(0, json, validator.validate(json));
    if (!item.valid()) {
      rejected(item.validation());
      Responses.problem(ctx, Problem.of(400, "invalid-job", "The job is invalid", item.validation().message())
          .withErrors(errors(item.validation().violations(), "")));
      return;
    }
    Problem forbidden = forbidden(tenant, List.of(item), false);
    if (forbidden != null) {
      Responses.problem(ctx, forbidden);
      return;
    }
    Job job = item.validation().job();
    states.known(List.of(job.id())).onComplete(known -> {
      JsonObject existing = known.succeeded() ? known.result().get(job.id()) : null;
      if (existing != null) {
        answerExisting(ctx, tenant, job, existing);
        return;
      }
      publish(item).onComplete(
          ok -> {
            accepted(1);
            ctx.response().setStatusCode(202).putHeader("Location", "/v1/jobs/" + job.id());
            ctx.json(new JsonObject().put("id", job.id()).put("state", "ACCEPTED"));
          },
          error -> Responses.problem(ctx, unavailable(error.getMessage(), new JsonArray()), "Retry-After", "5"));
    });
  }

  /** The same id again: 200 with what became of it, or 409 if another tenant uses the id. */
  private void answerExisting(RoutingContext ctx, String tenant, Job job, JsonObject existing) {
    if (!tenant.equals(existing.getString("tenant"))) {
      Responses.problem(ctx, Problem.of(409, "id-taken", "The id is taken",
          "a job with id '" + job.id() + "' exists already; choose another id"));
      return;
    }
    registry.counter("postroom_api_jobs_repeated_total").increment();
    ctx.response().setStatusCode(200).putHeader("Location", "/v1/jobs/" + job.id());
    ctx.json(new JsonObject().put("id", job.id()).put("state", existing.getString("state")).put("existing", true));
  }

  /** The job to mail.jobs, then (best effort: the job is safe already) its ACCEPTED event. */
  private Future<Void> publish(Item item) {
    Job job = item.validation().job();
    return publisher.publish(job.id(), item.json().toBuffer()).onSuccess(v -> {
      states.accepted(job);
      publisher.accepted(StatusEvent.accepted(job.id(), job.tenant(), Instant.now()))
          .onFailure(e -> LOG.warn("job {} accepted, but its ACCEPTED event was not written: {}", job.id(),
              e.getMessage()));
    });
  }

  private void batch(RoutingContext ctx, String tenant, Object jobs) {
    if (!(jobs instanceof JsonArray array) || array.isEmpty()) {
      Responses.problem(ctx, Problem.of(400, "invalid-batch", "The batch is empty or not a list",
          "\"jobs\" must be a non-empty list of jobs"));
      return;
    }
    if (array.size() > maxBatch) {
      Responses.problem(ctx, Problem.of(413, "batch-too-large", "Too many jobs in one request",
          array.size() + " jobs in one request; at most " + maxBatch + " are taken: split the batch"));
      return;
    }
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object value = array.getValue(i);
      Validation validation = value instanceof JsonObject job
          ? validator.validate(job)
          : new Validation(null, null, null, List.of(new Violation(ErrorCode.INVALID_JSON, "",
              "a job must be a JSON object")));
      items.add(new Item(i, value instanceof JsonObject job ? job : null, validation));
    }
    Problem forbidden = forbidden(tenant, items, true);
    if (forbidden != null) {
      Responses.problem(ctx, forbidden);
      return;
    }
    JsonArray rejected = new JsonArray();
    items.stream().filter(item -> !item.valid()).forEach(item -> {
      rejected(item.validation());
      rejected.add(new JsonObject().put("index", item.index()).put("id", item.validation().id())
          .put("errors", errors(item.validation().violations(), "jobs[" + item.index() + "]")));
    });
    List<Item> validItems = items.stream().filter(Item::valid).toList();
    if (validItems.isEmpty()) {
      Responses.problem(ctx, Problem.of(400, "invalid-jobs", "No job of the batch is valid",
          "every job of the batch has errors; nothing was accepted").withErrors(rejected));
      return;
    }
    states.known(validItems.stream().map(item -> item.validation().job().id()).toList())
        .otherwise(Map.of())
        .onSuccess(known -> publishBatch(ctx, tenant, validItems, known, rejected));
  }

  private void publishBatch(RoutingContext ctx, String tenant, List<Item> validItems, Map<String, JsonObject> known,
      JsonArray rejected) {
    JsonArray existing = new JsonArray();
    List<Item> valid = new ArrayList<>();
    for (Item item : validItems) {
      Job job = item.validation().job();
      JsonObject state = known.get(job.id());
      if (state == null) {
        valid.add(item);
      } else if (tenant.equals(state.getString("tenant"))) {
        existing.add(new JsonObject().put("index", item.index()).put("id", job.id()).put("state", state.getString("state")));
      } else {
        rejected.add(new JsonObject().put("index", item.index()).put("id", job.id()).put("errors", new JsonArray()
            .add(error("ID_TAKEN", "jobs[" + item.index() + "].id", "a job with this id exists already; choose another id"))));
      }
    }
    if (!existing.isEmpty()) {
      registry.counter("postroom_api_jobs_repeated_total").increment(existing.size());
    }
    List<Future<Void>> sends = valid.stream().map(this::publish).toList();
    Future.join(sends).onComplete(ignored -> {
      JsonArray accepted = new JsonArray();
      String failure = null;
      for (int i = 0; i < valid.size(); i++) {
        if (sends.get(i).succeeded()) {
          accepted.add(new JsonObject().put("index", valid.get(i).index()).put("id", valid.get(i).validation().job().id()));
        } else {
          failure = sends.get(i).cause().getMessage();
        }
      }
      accepted(accepted.size());
      if (failure != null) {
        Responses.problem(ctx, unavailable(failure, accepted), "Retry-After", "5");
        return;
      }
      ctx.response().setStatusCode(accepted.isEmpty() && !existing.isEmpty() ? 200 : 202);
      ctx.json(new JsonObject().put("accepted", accepted).put("existing", existing).put("rejected", rejected));
    });
  }

  /**
   * A 403 when any valid job is for another tenant than the key's, or from a sender domain the
   * tenant may not use; null when all may go.
   */
  private Problem forbidden(String tenant, List<Item> items, boolean batch) {
    JsonArray errors = new JsonArray();
    String detail = null;
    for (Item item : items) {
      if (!item.valid()) {
        continue;
      }
      Job job = item.validation().job();
      String where = batch ? "jobs[" + item.index() + "]." : "";
      if (!job.tenant().equals(tenant)) {
        detail = "this API key belongs to tenant '" + tenant + "'; it cannot submit jobs for tenant '" + job.tenant()
            + "'";
        errors.add(error("FORBIDDEN_TENANT", where + "tenant", detail));
      } else if (!senders.allows(tenant, job.from().email())) {
        detail = "tenant '" + tenant + "' may send from " + describe(senders, tenant) + "; '" + job.from().email()
            + "' is not in one of them";
        errors.add(error("FORBIDDEN_SENDER", where + "from", detail));
      }
    }
    if (errors.isEmpty()) {
      return null;
    }
    registry.counter("postroom_api_forbidden_total").increment(errors.size());
    return Problem.of(403, errors.size() == 1 ? slug(errors) : "forbidden-jobs", "Not allowed for this API key",
        errors.size() == 1 ? detail : errors.size() + " jobs are not allowed for this key; nothing was accepted")
        .withErrors(errors);
  }

  private static String slug(JsonArray errors) {
    return "FORBIDDEN_TENANT".equals(errors.getJsonObject(0).getString("code")) ? "forbidden-tenant"
        : "forbidden-sender";
  }

  private static String describe(SenderPolicy senders, String tenant) {
    return senders.domainsOf(tenant).isEmpty() ? "no domain (none is configured for it)"
        : senders.domainsOf(tenant).stream().sorted().toList().toString();
  }

  private static Problem unavailable(String cause, JsonArray accepted) {
    return Problem.of(503, "kafka-unavailable", "Jobs could not be handed to Kafka",
        "Kafka did not take the jobs (" + cause + "); send the ones not listed as accepted again later")
        .with("accepted", accepted);
  }

  private static JsonArray errors(List<Violation> violations, String prefix) {
    JsonArray errors = new JsonArray();
    for (Violation v : violations) {
      String field = prefix.isEmpty() ? v.field() : v.field() == null || v.field().isEmpty() ? prefix
          : prefix + "." + v.field();
      errors.add(error(v.code().name(), field, v.message()));
    }
    return errors;
  }

  private static JsonObject error(String code, String field, String message) {
    return new JsonObject().put("code", code).put("field", field).put("message", message);
  }

  private void accepted(int jobs) {
    Counter.builder("postroom_api_jobs_accepted_total").description("Jobs published to mail.jobs by the api")
        .register(registry).increment(jobs);
  }

  private void rejected(Validation validation) {
    Counter.builder("postroom_api_jobs_rejected_total").description("Jobs the api refused as invalid, by first error")
        .tag("code", validation.code().name()).register(registry).increment();
  }
}
