package io.postroom.api.suppressions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.api.http.Problem;
import io.postroom.api.http.Responses;
import io.postroom.contract.metrics.ComplianceMetricNames;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A tenant's suppression list, behind the tenant's API key (a key sees and changes only its own
 * tenant's):
 * <ul>
 *   <li>{@code GET /v1/suppressions?address=&stream=&reason=&limit=&after=}: a page, in key order,
 *       {@code next} continuing it; with {@code Accept: text/csv} the whole (filtered) list as CSV
 *       {@code address,stream,reason,at,source}, streamed a page at a time.
 *   <li>{@code PUT /v1/suppressions}: one {@code {"address", "stream", "reason"}}, {@code
 *       {"suppressions": [...]}}, or {@code text/csv} rows {@code address[,stream[,reason]]} (an
 *       optional header row), read as they arrive, each row written as it is read (at most
 *       {@value #IN_FLIGHT} unanswered by Kafka), a bad row reported by line. Source
 *       {@code api:<key name>}; a missing stream is {@code *}, a missing reason {@code MANUAL}.
 *   <li>{@code DELETE /v1/suppressions?address=&stream=}: a tombstone ({@code 404} when not suppressed).
 * </ul>
 * Writes are answered once Kafka has them and this api has read them back (or after 5 s), so a
 * GET that follows sees them.
 */
public final class SuppressionRoutes {
  static final int IN_FLIGHT = 256;
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  private static final int MAX_SCANNED = 100_000;
  private static final int MAX_LINE = 4096;

  private final Suppressions suppressions;
  private final Clock clock;
  private final MeterRegistry registry;
  private final long maxBodyBytes;
  private final long maxCsvBytes;
  private final int problemsListed;

  public SuppressionRoutes(Suppressions suppressions, Clock clock, MeterRegistry registry, long maxBodyBytes,
      long maxCsvBytes, int problemsListed) {
    this.suppressions = suppressions;
    this.clock = clock;
    this.registry = registry;
    this.maxBodyBytes = maxBodyBytes;
    this.maxCsvBytes = maxCsvBytes;
    this.problemsListed = problemsListed;
  }

  /**
   * The routes; {@code guards} are the checks every tenant request passes first (API key, rate
   * limit), {@code tenant} and {@code keyName} what they found.
   */
  public void mount(Router router, List<Handler<RoutingContext>> guards, Function<RoutingContext, String> tenant,
      Function<RoutingContext, String> keyName) {
    guarded(router.get("/v1/suppressions"), guards).handler(ctx -> list(ctx, tenant.apply(ctx)));
    guarded(router.delete("/v1/suppressions"), guards).handler(ctx -> delete(ctx, tenant.apply(ctx)));
    // CSV is read as it arrives on the first route; JSON goes on to a second one with its body handler,
    // so that the body of a caller refused by the guards is never read
    guarded(router.put("/v1/suppressions"), guards).handler(ctx -> {
      String type = mediaType(ctx);
      if (type.equals("text/csv")) {
        importCsv(ctx, tenant.apply(ctx), "api:" + keyName.apply(ctx));
      } else if (type.equals("application/json")) {
        ctx.next();
      } else {
        Responses.problem(ctx, Problem.of(415, "unsupported-media-type", "Send JSON or CSV",
            "the body must be application/json or text/csv, not " + (type.isEmpty() ? "unspecified" : "'" + type + "'")));
      }
    });
    router.put("/v1/suppressions").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(ctx -> putJson(ctx, tenant.apply(ctx), "api:" + keyName.apply(ctx)));
  }

  private static Route guarded(Route route, List<Handler<RoutingContext>> guards) {
    guards.forEach(route::handler);
    return route;
  }

  void list(RoutingContext ctx, String tenant) {
    SuppressionStore.Filter filter;
    int limit;
    try {
      filter = filter(ctx);
      String limitParam = ctx.queryParams().get("limit");
      limit = limitParam == null ? DEFAULT_LIMIT : Integer.parseInt(limitParam);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be a number from 1 to " + MAX_LIMIT);
      }
    } catch (IllegalArgumentException e) {
      Responses.problem(ctx, Problem.of(400, "invalid-query", "Invalid query", e.getMessage()));
      return;
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv")) {
      export(ctx, tenant, filter);
      return;
    }
    suppressions.list(tenant, filter, ctx.queryParams().get("after"), limit, MAX_SCANNED).onComplete(page -> {
      if (page.failed()) {
        if (page.cause() instanceof IllegalArgumentException) {
          Responses.problem(ctx, Problem.of(400, "invalid-query", "Invalid query", "'after' is not a cursor of this"
              + " listing: pass the 'next' of the previous page with the same filters"));
        } else {
          ctx.fail(page.cause());
        }
        return;
      }
      JsonArray items = new JsonArray();
      page.result().suppressions().forEach(s -> items.add(SuppressionRows.json(s)));
      JsonObject body = new JsonObject().put("tenant", tenant).put("suppressions", items);
      if (page.result().next() != null) {
        body.put("next", page.result().next());
      }
      ctx.json(body);
    });
  }

  private static SuppressionStore.Filter filter(RoutingContext ctx) {
    String address = ctx.queryParams().get("address");
    String stream = ctx.queryParams().get("stream");
    String reason = ctx.queryParams().get("reason");
    SuppressionReason parsed = null;
    if (reason != null) {
      try {
        parsed = SuppressionReason.valueOf(reason.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("reason must be one of UNSUBSCRIBED, HARD_BOUNCE, COMPLAINT, MANUAL");
      }
    }
    return new SuppressionStore.Filter(address == null ? null : Suppression.normalise(address),
        stream == null || stream.isBlank() ? null : stream, parsed);
  }

  /** The whole list as CSV, a page at a time, never faster than the client reads. */
  private void export(RoutingContext ctx, String tenant, SuppressionStore.Filter filter) {
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"suppressions-" + tenant.replaceAll("[^A-Za-z0-9._-]",
            "_") + ".csv\"");
    response.write(SuppressionRows.CSV_HEADER + "\r\n");
    exportFrom(ctx, response, tenant, filter, null);
  }

  private void exportFrom(RoutingContext ctx, HttpServerResponse response, String tenant,
      SuppressionStore.Filter filter, String after) {
    suppressions.list(tenant, filter, after, MAX_LIMIT, MAX_SCANNED).onComplete(page -> {
      if (page.failed() || response.closed()) {
        response.reset(); // the client must not take a cut list for the whole one
        return;
      }
      StringBuilder rows = new StringBuilder();
      page.result().suppressions().forEach(s -> rows.append(SuppressionRows.csv(s)));
      if (!rows.isEmpty()) {
        response.write(rows.toString());
      }
      String next = page.result().next();
      if (next == null) {
        response.end();
      } else if (response.writeQueueFull()) {
        response.drainHandler(drained -> exportFrom(ctx, response, tenant, filter, next));
      } else {
        exportFrom(ctx, response, tenant, filter, next);
      }
    });
  }

  void putJson(RoutingContext ctx, String tenant, String source) {
    Object body;
    try {
      body = ctx.body().buffer() == null ? null : ctx.body().buffer().toJsonValue();
    } catch (RuntimeException e) {
      body = null;
    }
    List<?> items;
    if (body instanceof JsonObject object && object.getValue("suppressions") instanceof JsonArray list) {
      items = list.getList();
    } else if (body instanceof JsonObject object && object.containsKey("address")) {
      items = List.of(object);
    } else {
      Responses.problem(ctx, Problem.of(400, "invalid-json", "The body is not a suppression",
          "send {\"address\": \"a@example.org\", \"stream\": \"statements\", \"reason\": \"MANUAL\"} or"
              + " {\"suppressions\": [...]}"));
      return;
    }
    Instant now = clock.instant();
    Outcome outcome = new Outcome(tenant);
    List<Future<SuppressionLog.Written>> writes = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i) instanceof Map<?, ?> map ? new JsonObject(castMap(map)) : items.get(i);
      try {
        writes.add(write(outcome, SuppressionRows.of(tenant, item, now, source)));
      } catch (SuppressionRows.RowException e) {
        outcome.problem(new JsonObject().put("index", i), e.errors);
      }
    }
    Future.join(writes).onComplete(done -> answer(ctx, outcome));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /**
   * Reads the CSV rows as they arrive, writing each good one; stops reading the request while
   * {@value #IN_FLIGHT} or more are unanswered (those of one chunk of the body may go above).
   */
  private void importCsv(RoutingContext ctx, String tenant, String source) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("Content-Length");
    if (length != null && !length.isEmpty() && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > maxCsvBytes) {
      refuse(ctx, tooLarge());
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      ctx.response().writeContinue();
    }
    Instant now = clock.instant();
    Outcome outcome = new Outcome(tenant);
    RecordParser lines = RecordParser.newDelimited("\n", request).maxRecordSize(MAX_LINE);
    int[] line = {0};
    long[] bytes = {0};
    int[] pending = {0};
    boolean[] ended = {false};
    Promise<Void> finished = Promise.promise();
    Runnable maybeDone = () -> {
      if (ended[0] && pending[0] == 0) {
        finished.tryComplete();
      }
    };
    lines.handler(buffer -> {
      if (finished.future().isComplete() || outcome.failure != null) {
        return;
      }
      line[0]++;
      bytes[0] += buffer.length() + 1;
      if (bytes[0] > maxCsvBytes) {
        finished.tryFail("too large");
        refuse(ctx, tooLarge());
        return;
      }
      String text = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
      if (line[0] == 1 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      if (text.isBlank()) {
        return;
      }
      Suppression suppression;
      try {
        List<String> cells = SuppressionRows.cells(text);
        if (line[0] == 1 && cells.get(0).equalsIgnoreCase("address")) {
          return; // the header row
        }
        if (cells.size() > 3) {
          throw new SuppressionRows.RowException(new JsonArray().add(SuppressionRows.error("INVALID_FIELD", null,
              "a row has at most three cells: address,stream,reason")));
        }
        suppression = SuppressionRows.of(tenant, cells.get(0), cells.size() > 1 ? cells.get(1) : null,
            cells.size() > 2 ? cells.get(2) : null, now, source);
      } catch (SuppressionRows.RowException e) {
        outcome.problem(new JsonObject().put("line", line[0]), e.errors);
        return;
      }
      pending[0]++;
      if (pending[0] >= IN_FLIGHT && !ended[0]) {
        request.pause(); // the request, not the parser: the rows of the chunk at hand are still read
      }
      write(outcome, suppression).onComplete(written -> {
        pending[0]--;
        if (pending[0] <= IN_FLIGHT / 2 && !ended[0]) {
          request.resume();
        }
        maybeDone.run();
      });
    });
    lines.exceptionHandler(error -> {
      if (finished.tryFail(error)) {
        refuse(ctx, Problem.of(400, "invalid-csv", "The CSV cannot be read", "line " + (line[0] + 1) + ": "
            + error.getMessage() + " (a row is at most " + MAX_LINE + " bytes)"));
      }
    });
    lines.endHandler(v -> {
      ended[0] = true;
      maybeDone.run();
    });
    finished.future().onSuccess(v -> answer(ctx, outcome));
  }

  private Future<SuppressionLog.Written> write(Outcome outcome, Suppression suppression) {
    // a future of its own, completed once the outcome has counted the write, for those that wait on it
    return suppressions.put(suppression).transform(written -> {
      if (written.succeeded()) {
        outcome.written(written.result());
        changed(outcome.tenant, "put");
      } else if (outcome.failure == null) {
        outcome.failure = written.cause().getMessage();
      }
      return written.succeeded() ? Future.succeededFuture(written.result()) : Future.failedFuture(written.cause());
    });
  }

  /** Once the writes are read back: the counts, or 503 if Kafka stopped taking them, 400 if nothing was good. */
  private void answer(RoutingContext ctx, Outcome outcome) {
    Future.join(outcome.last.values().stream().map(suppressions::readBack).toList()).onComplete(readBack -> {
      JsonObject counts = new JsonObject().put("tenant", outcome.tenant).put("written", outcome.written)
          .put("rejected", outcome.rejected).put("problems", outcome.problems)
          .put("problemsOmitted", outcome.rejected - outcome.problems.size());
      if (outcome.failure != null) {
        Problem problem = Problem.of(503, "kafka-unavailable", "The suppressions could not all be handed to Kafka",
            "Kafka did not take them (" + outcome.failure + "); " + outcome.written + " were written: send them again"
                + " (writing one twice does no harm)");
        for (String field : counts.fieldNames()) {
          problem = problem.with(field, counts.getValue(field));
        }
        Responses.problem(ctx, problem, "Retry-After", "5");
      } else if (outcome.written == 0) {
        Problem problem = Problem.of(400, "no-valid-suppressions", "No suppression was written",
            outcome.rejected == 0 ? "the body holds no suppression" : "every suppression of the body is invalid:"
                + " see problems");
        Responses.problem(ctx, problem.with("rejected", outcome.rejected).with("problems", outcome.problems));
      } else {
        ctx.json(counts);
      }
    });
  }

  void delete(RoutingContext ctx, String tenant) {
    String address = ctx.queryParams().get("address");
    String stream = ctx.queryParams().get("stream");
    String normalised;
    try {
      normalised = Suppression.normalise(address == null ? "" : address);
    } catch (IllegalArgumentException e) {
      Responses.problem(ctx, Problem.of(400, "invalid-query", "Invalid query",
          "address must be an e-mail address (and stream, when given, a stream name; '*' or none for all mail)"));
      return;
    }
    String theStream = stream == null || stream.isBlank() ? Suppression.ANY_STREAM : stream;
    suppressions.get(tenant, theStream, normalised).compose(found -> {
      if (found.isEmpty()) {
        Responses.problem(ctx, Problem.of(404, "unknown-suppression", "Not suppressed", "'" + normalised
            + "' is not suppressed for stream '" + theStream + "' of tenant '" + tenant + "'"));
        return Future.succeededFuture();
      }
      return suppressions.lift(found.get().key()).compose(suppressions::readBack).onSuccess(v -> {
        changed(tenant, "delete");
        ctx.json(new JsonObject().put("tenant", tenant).put("lifted", SuppressionRows.json(found.get())));
      });
    }).onFailure(error -> Responses.problem(ctx, Problem.of(503, "kafka-unavailable", "The suppression could not be"
        + " lifted", "Kafka did not take the tombstone (" + error.getMessage() + "); try again"), "Retry-After", "5"));
  }

  private void changed(String tenant, String op) {
    Counter.builder(ComplianceMetricNames.API_SUPPRESSIONS_CHANGED)
        .description("Suppressions written (op put) or lifted (op delete) through /v1/suppressions")
        .tag("tenant", tenant).tag("op", op).register(registry).increment();
  }

  private Problem tooLarge() {
    return Problem.of(413, "body-too-large", "The body is too large", "a CSV of suppressions is limited to "
        + maxCsvBytes + " bytes (api.bulk.maxUploadBytes): send it in several parts");
  }

  private static void refuse(RoutingContext ctx, Problem problem) {
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      Responses.problem(ctx, problem);
    } else {
      Responses.problem(ctx, problem, "Connection", "close");
    }
  }

  private static String mediaType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  /** What became of a PUT's suppressions (event-loop confined). */
  private final class Outcome {
    final String tenant;
    int written;
    int rejected;
    final JsonArray problems = new JsonArray();
    final Map<Integer, SuppressionLog.Written> last = new HashMap<>();
    String failure;

    Outcome(String tenant) {
      this.tenant = tenant;
    }

    void written(SuppressionLog.Written where) {
      written++;
      last.merge(where.partition(), where, (a, b) -> a.offset() >= b.offset() ? a : b);
    }

    void problem(JsonObject where, JsonArray errors) {
      rejected++;
      if (problems.size() < problemsListed) {
        problems.add(where.put("errors", errors));
      }
    }
  }
}
