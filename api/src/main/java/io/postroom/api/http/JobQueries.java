package io.postroom.api.http;

import io.postroom.contract.State;
import io.postroom.api.status.JobStatusStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /v1/jobs/{id}}: the job's newest state, its latest event and its history (the last
 * {@value JobStatusStore#HISTORY} events). {@code GET /v1/jobs?tenant=…&state=…&limit=…&after=…}:
 * the tenant's jobs, newest first, a page at a time ({@code next} is the cursor of the following
 * page). A key sees its own tenant's jobs only: another tenant's job is 404, as if it did not exist.
 */
final class JobQueries {
  private static final int MAX_LIMIT = 500;

  private final JobStates states;

  JobQueries(JobStates states) {
    this.states = states;
  }

  void one(RoutingContext ctx, String tenant) {
    String id = ctx.pathParam("id");
    states.get(id).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      if (found.result().isEmpty() || !tenant.equals(found.result().get().getString("tenant"))) {
        Responses.problem(ctx, Problem.of(404, "unknown-job", "No such job",
            "no job with id '" + id + "' is known for tenant '" + tenant + "' (a job shows here once its first"
                + " status event was read, a moment after it was accepted)"));
        return;
      }
      ctx.json(found.result().get());
    });
  }

  void list(RoutingContext ctx, String tenant) {
    String asked = ctx.queryParams().get("tenant");
    if (asked != null && !asked.equals(tenant)) {
      Responses.problem(ctx, Problem.of(403, "forbidden-tenant", "Not allowed for this API key",
          "this API key belongs to tenant '" + tenant + "'; it cannot list the jobs of tenant '" + asked + "'"));
      return;
    }
    State state;
    int limit;
    try {
      String stateParam = ctx.queryParams().get("state");
      state = stateParam == null ? null : State.valueOf(stateParam.toUpperCase(java.util.Locale.ROOT));
      String limitParam = ctx.queryParams().get("limit");
      limit = limitParam == null ? 50 : Integer.parseInt(limitParam);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      Responses.problem(ctx, Problem.of(400, "invalid-query", "Invalid query",
          "state must be one of " + List.of(State.values()) + " and limit a number from 1 to " + MAX_LIMIT));
      return;
    }
    String after = ctx.queryParams().get("after");
    states.list(tenant, state, limit, after).onComplete(page -> {
      if (page.failed()) {
        ctx.fail(page.cause());
        return;
      }
      JsonArray jobs = new JsonArray();
      page.result().forEach(entry -> jobs.add(new JsonObject().put("id", entry.id()).put("state", entry.state())
          .put("at", entry.at())));
      JsonObject body = new JsonObject().put("tenant", tenant).put("jobs", jobs);
      if (page.result().size() == limit) {
        body.put("next", JobStatusStore.cursor(page.result().get(limit - 1)));
      }
      ctx.json(body);
    });
  }
}
