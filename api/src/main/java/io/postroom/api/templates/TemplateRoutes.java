package io.postroom.api.templates;

import io.postroom.api.bulk.BulkUpload;
import io.postroom.api.http.JobPublisher;
import io.postroom.api.http.Problem;
import io.postroom.api.http.Responses;
import io.postroom.contract.ErrorCode;
import io.postroom.contract.JobFields;
import io.postroom.contract.Reading;
import io.postroom.contract.template.MailTemplate;
import io.postroom.contract.template.RegisteredTemplates;
import io.postroom.contract.template.RenderFailure;
import io.postroom.contract.template.RenderedMail;
import io.postroom.contract.template.Rendering;
import io.postroom.contract.template.TemplateException;
import io.postroom.contract.template.TemplateFields;
import io.postroom.contract.template.TemplateVars;
import io.postroom.contract.template.TemplateVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The registered templates of the caller's tenant, kept on the compacted topic {@code mail.templates}
 * (key {@code <tenant>/<name>/<version>}, value {@link TemplateVersion#toJson()}):
 * <ul>
 *   <li>{@code PUT /v1/templates/{name}} with {@code {"subject", "text", "html"}}: compiled
 *       ({@code 400 bad-template} with part, line and column), then written as version = the highest
 *       known + 1; {@code 201} with the version once this api has read it back. {@code If-Match: "3"}
 *       makes the write conditional on version 3 being the newest ({@code 412} otherwise).
 *   <li>{@code GET /v1/templates/{name}}: its versions; {@code GET /v1/templates/{name}/{version}}: one.
 *   <li>{@code POST /v1/templates/{name}/preview} with {@code {"vars": {…}, "version": n}} (the newest
 *       when no version): the rendered subject, text and html, or {@code 422 render-failed} naming the
 *       variables.
 * </ul>
 *
 * <p>Two api replicas may pick the same next version at the same moment. All versions of a template
 * go to one partition, so the records are ordered and the first counts ({@link RegisteredTemplates});
 * the replica whose record came second finds another content under its version when it reads it
 * back, writes the first content again under the key (so that compaction keeps it) and answers
 * {@code 409 version-conflict}: the client PUTs again and gets the next version. Two identical PUTs
 * racing both get the same version.
 */
public final class TemplateRoutes {
  private static final long READ_BACK_SECONDS = 10;
  private final JobPublisher publisher;
  private final RegisteredTemplates templates;
  private final TemplateLog log;
  private final String topic;
  private final Future<Void> ready;

  /** Where a written record is read back: the api's follower of the templates topic, or a test's. */
  @FunctionalInterface
  public interface TemplateLog {
    /** Completes once the record at this offset of the templates topic has been applied to the registry. */
    Future<Void> applied(int partition, long offset);
  }

  public TemplateRoutes(JobPublisher publisher, RegisteredTemplates templates, TemplateLog log, String topic,
      Future<Void> ready) {
    this.publisher = publisher;
    this.templates = templates;
    this.log = log;
    this.topic = topic;
    this.ready = ready;
  }

  public void put(RoutingContext ctx, String tenant) {
    String name = ctx.pathParam("name");
    if (!validName(ctx, name)) {
      return;
    }
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    Reading reading = new Reading(body);
    if (TemplateFields.inline(reading) == null) {
      Responses.problem(ctx, templateProblem(body, reading));
      return;
    }
    ready.onComplete(caughtUp -> {
      if (caughtUp.failed()) {
        ctx.fail(caughtUp.cause());
        return;
      }
      int latest = templates.latest(tenant, name);
      String expected = ctx.request().getHeader("If-Match");
      if (expected != null && !expected.replace("\"", "").trim().equals(Integer.toString(latest))) {
        Responses.problem(ctx, Problem.of(412, "version-changed", "The template has another newest version",
            "If-Match asked for version " + expected + " to be the newest of '" + name + "', but it is "
                + (latest == 0 ? "not registered yet" : "version " + latest) + ": read it again and decide"));
        return;
      }
      TemplateVersion version = new TemplateVersion(tenant, name, latest + 1, body.getString("subject"),
          body.getString("text"), body.getString("html"), Instant.now());
      write(version).onFailure(error -> Responses.problem(ctx, Problem.of(503, "kafka-unavailable",
          "The template could not be handed to Kafka", "Kafka did not take it (" + error.getMessage() + "); try again"),
          "Retry-After", "5")).onSuccess(written -> readBack(ctx, version, written));
    });
  }

  /** Answers once the written version is read back: 201 if its record came first, 409 if another's did. */
  private void readBack(RoutingContext ctx, TemplateVersion version, RecordMetadata written) {
    String name = version.name();
    // bounded, should the follower have stopped
    log.applied(written.getPartition(), written.getOffset()).timeout(READ_BACK_SECONDS, TimeUnit.SECONDS)
        .onComplete(done -> {
          if (done.failed()) {
            Responses.problem(ctx, Problem.of(503, "template-not-read-back", "The template was not read back",
                "version " + version.version() + " of '" + name + "' was written but this api did not read it back"
                    + " within " + READ_BACK_SECONDS + " s (" + done.cause().getMessage() + "); GET /v1/templates/"
                    + name + " shows whether it is registered"), "Retry-After", "5");
            return;
          }
          TemplateVersion registered = templates.find(version.tenant(), name, version.version()).orElse(version);
          if (!registered.sameContent(version)) {
            write(registered); // the first content, last again: what compaction keeps
            Responses.problem(ctx, Problem.of(409, "version-conflict", "Another version was registered at the same"
                + " moment", "version " + version.version() + " of '" + name + "' was registered by another request"
                + " a moment earlier; PUT again to register yours as the next version"));
            return;
          }
          ctx.response().setStatusCode(201).putHeader("Location", "/v1/templates/" + name + "/" + version.version())
              .putHeader("ETag", "\"" + version.version() + "\"");
          ctx.json(view(registered));
        });
  }

  public void list(RoutingContext ctx, String tenant) {
    String name = ctx.pathParam("name");
    ready.onComplete(caughtUp -> {
      List<TemplateVersion> versions = templates.versions(tenant, name);
      if (versions.isEmpty()) {
        unknown(ctx, tenant, name, null);
        return;
      }
      JsonArray list = new JsonArray();
      versions.forEach(v -> list.add(new JsonObject().put("version", v.version()).put("at", v.at().toString())));
      ctx.json(new JsonObject().put("name", name).put("latest", versions.get(versions.size() - 1).version())
          .put("versions", list));
    });
  }

  public void one(RoutingContext ctx, String tenant) {
    String name = ctx.pathParam("name");
    Integer number = versionParam(ctx.pathParam("version"));
    ready.onComplete(caughtUp -> {
      Optional<TemplateVersion> version = number == null ? Optional.empty() : templates.find(tenant, name, number);
      if (version.isEmpty()) {
        unknown(ctx, tenant, name, ctx.pathParam("version"));
        return;
      }
      ctx.response().putHeader("ETag", "\"" + version.get().version() + "\"");
      ctx.json(view(version.get()));
    });
  }

  public void preview(RoutingContext ctx, String tenant) {
    String name = ctx.pathParam("name");
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object vars = body.getValue("vars");
    Object asked = body.getValue("version");
    if (vars != null && !(vars instanceof JsonObject) || asked != null && !(asked instanceof Integer)) {
      Responses.problem(ctx, Problem.of(400, "invalid-preview", "The preview request is invalid",
          "send {\"vars\": {\"name\": \"Asha\"}, \"version\": 3}: vars an object, version a whole number (or left out"
              + " for the newest)"));
      return;
    }
    ready.onComplete(caughtUp -> {
      int number = asked == null ? templates.latest(tenant, name) : (Integer) asked;
      Optional<TemplateVersion> version = templates.find(tenant, name, number);
      if (version.isEmpty()) {
        unknown(ctx, tenant, name, asked == null ? null : asked.toString());
        return;
      }
      MailTemplate template = templates.of(tenant).find(new io.postroom.contract.template.TemplateRef(name, number))
          .orElseThrow();
      Rendering rendering;
      try {
        rendering = template.render(TemplateVars.of((JsonObject) vars));
      } catch (IllegalArgumentException e) {
        Responses.problem(ctx, Problem.of(400, "invalid-preview", "The variables are invalid", e.getMessage()));
        return;
      }
      if (rendering instanceof RenderFailure failure) {
        Responses.problem(ctx, Problem.of(422, "render-failed", "The template cannot be rendered with these variables",
            failure.message()).with("variables", new JsonArray(List.copyOf(failure.variables())))
            .withErrors(new JsonArray().add(new JsonObject().put("code", failure.code().name()).put("field", "vars")
                .put("message", failure.message()))));
        return;
      }
      RenderedMail mail = (RenderedMail) rendering;
      ctx.json(new JsonObject().put("name", name).put("version", number).put("subject", mail.subject())
          .put("text", mail.text()).put("html", mail.html()));
    });
  }

  /** To its partition: that of {@code <tenant>/<name>}, so that all versions of a template are ordered. */
  private Future<RecordMetadata> write(TemplateVersion version) {
    return publisher.partitions(topic).compose(partitions -> publisher.send(KafkaProducerRecord.create(topic,
        version.key(), version.toJson().toBuffer(), null,
        Math.floorMod((version.tenant() + "/" + version.name()).hashCode(), partitions))));
  }

  /** The version as the api shows it. */
  private static JsonObject view(TemplateVersion version) {
    JsonObject json = version.toJson();
    json.remove("tenant");
    return json;
  }

  /** A 400 naming every fault; for a template that does not compile, the part, line and column. */
  private static Problem templateProblem(JsonObject body, Reading reading) {
    boolean syntax = reading.violations().stream().anyMatch(v -> v.code() == ErrorCode.BAD_TEMPLATE);
    if (!syntax) {
      return Problem.of(400, "invalid-template", "The template is invalid", reading.violations().stream()
          .map(io.postroom.contract.Violation::message).collect(java.util.stream.Collectors.joining("; ")))
          .withErrors(BulkUpload.errors(reading.violations()));
    }
    try {
      MailTemplate.compile(body.getString("subject"), body.getString("text"), body.getString("html"));
      throw new IllegalStateException("the template compiled the second time");
    } catch (TemplateException e) {
      return Problem.of(400, "bad-template", "The template does not compile", e.getMessage())
          .withErrors(new JsonArray().add(new JsonObject().put("code", ErrorCode.BAD_TEMPLATE.name())
              .put("field", e.part()).put("line", e.line()).put("column", e.column()).put("message", e.getMessage())));
    }
  }

  private static boolean validName(RoutingContext ctx, String name) {
    if (JobFields.NAME.matcher(name).matches()) {
      return true;
    }
    Responses.problem(ctx, Problem.of(400, "invalid-name", "The template name is invalid", "a template name is 1 to 100"
        + " letters, digits, '.', '_' or '-', not '" + name + "'"));
    return false;
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      if (ctx.body().buffer() != null && ctx.body().buffer().toJsonValue() instanceof JsonObject object) {
        return object;
      }
    } catch (RuntimeException e) {
      // answered below
    }
    Responses.problem(ctx, Problem.of(400, "invalid-json", "The body is not a JSON object",
        "send a JSON object, e.g. {\"subject\": \"Hi {{name}}\", \"text\": \"...\"}"));
    return null;
  }

  private static Integer versionParam(String text) {
    try {
      int version = Integer.parseInt(text);
      return version >= 1 ? version : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void unknown(RoutingContext ctx, String tenant, String name, String version) {
    Responses.problem(ctx, Problem.of(404, "unknown-template", "No such template", (version == null ? "no template '"
        + name + "'" : "no version " + version + " of template '" + name + "'") + " is registered for tenant '" + tenant
        + "'"));
  }
}
