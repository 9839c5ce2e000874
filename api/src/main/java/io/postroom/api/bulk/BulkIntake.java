package io.postroom.api.bulk;

import io.postroom.contract.bulk.BulkControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.api.http.JobPublisher;
import io.postroom.api.http.Problem;
import io.postroom.api.http.Responses;
import io.postroom.api.http.SenderPolicy;
import io.postroom.contract.bulk.BulkJob;
import io.postroom.contract.bulk.BulkJobReader;
import io.postroom.contract.bulk.BulkReading;
import io.postroom.contract.bulk.RecipientCheck;
import io.postroom.contract.bulk.RecipientSource;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.template.RegisteredTemplates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/bulk}: one part of a bulk send, as a bulk job in JSON ({@code application/json},
 * the job of DESIGN's "Bulk sends"), or as CSV ({@code text/csv}: a header row {@code key,email,<vars…>}
 * and a row per recipient) with the bulk job's own fields as query parameters ({@code id}, {@code from},
 * {@code template} and {@code version} of a registered template, and optionally {@code tenant},
 * {@code replyTo}, {@code part}, {@code priority}, {@code notBefore}, {@code expiresAt}, {@code maxRate},
 * {@code stream}). A CSV part's fields are checked before its body is read.
 *
 * <p>The body is kept in a file as it arrives (never in memory; the request is paused while the disk
 * catches up), then read one recipient at a time and published as chunk records to {@code mail.jobs}
 * ({@link BulkUpload}), a few chunks unanswered by Kafka at a time; then a record of the part goes to
 * {@code mail.bulk}. The answer comes once Kafka has all of it: {@code 202} with how many recipients
 * were accepted and rejected, and the first rejected ones by line (CSV) or index (JSON). The same
 * part uploaded again writes the same chunk keys and job ids, so no recipient is mailed twice.
 */
public final class BulkIntake {
  private static final Logger LOG = LoggerFactory.getLogger(BulkIntake.class);
  private static final int IN_FLIGHT = 8;

  private final Vertx vertx;
  private final BulkSettings settings;
  private final KafkaSection kafka;
  private final JobPublisher publisher;
  private final SenderPolicy senders;
  private final BulkSends sends;
  private final RegisteredTemplates templates;
  private final Future<Void> ready;
  private final MeterRegistry registry;
  private final WorkerExecutor workers;

  /** @param ready completes once mail.templates, mail.bulk and mail.bulk.control have been read up to now */
  public BulkIntake(Vertx vertx, BulkSettings settings, KafkaSection kafka, JobPublisher publisher, SenderPolicy senders,
      BulkSends sends, RegisteredTemplates templates, Future<Void> ready, MeterRegistry registry) {
    this.vertx = vertx;
    this.settings = settings;
    this.kafka = kafka;
    this.publisher = publisher;
    this.senders = senders;
    this.sends = sends;
    this.templates = templates;
    this.ready = ready;
    this.registry = registry;
    // a million-row part keeps a thread for a minute: not the shared worker pool's
    this.workers = vertx.createSharedWorkerExecutor("postroom-bulk-upload", 4, 30, TimeUnit.MINUTES);
  }

  /** Must be called at once by the route (it pauses the request before any of the body is read). */
  public void upload(RoutingContext ctx, String tenant) {
    ctx.request().pause();
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (mediaType.equals("text/csv")) {
      csv(ctx, tenant);
    } else if (mediaType.equals("application/json")) {
      json(ctx, tenant);
    } else {
      refuse(ctx, Problem.of(415, "unsupported-media-type", "Send JSON or CSV", "a bulk send is application/json"
          + " (a bulk job) or text/csv (key,email,<vars…> with the bulk's fields as query parameters), not "
          + (type == null ? "unspecified" : "'" + type + "'")));
    }
  }

  private void json(RoutingContext ctx, String tenant) {
    spool(ctx).onSuccess(file -> workers.executeBlocking(() -> BulkJobReader.read(() -> Files.newInputStream(file)), false)
        .compose(reading -> check(tenant, reading).map(refusal -> {
          if (refusal != null) {
            delete(file);
            Responses.problem(ctx, refusal);
            return null;
          }
          publish(ctx, reading.job(), reading::recipients, entry -> new JsonObject().put("index", entry.index()), file);
          return null;
        }))
        .onFailure(error -> {
          delete(file);
          ctx.fail(error);
        }));
  }

  private void csv(RoutingContext ctx, String tenant) {
    BulkReading reading = BulkJobReader.readFields(csvFields(ctx.queryParams(), tenant));
    // the kept file must be opened on the request's context, which reads into it
    Context requestContext = vertx.getOrCreateContext();
    check(tenant, reading).onComplete(checked -> requestContext.runOnContext(onRequestContext -> {
      if (checked.failed() || checked.result() != null) {
        refuse(ctx, checked.failed() ? unavailable(checked.cause().getMessage()) : checked.result());
        return;
      }
      spool(ctx).onSuccess(file -> {
        CsvRecipients[] csv = new CsvRecipients[1];
        publish(ctx, reading.job(), () -> {
          try {
            csv[0] = new CsvRecipients(Files.newInputStream(file), new RecipientCheck(reading.id()));
            return csv[0];
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, entry -> new JsonObject().put("line", csv[0].line()), file);
      });
    }));
  }

  /**
   * The bulk job's fields from the query of a CSV upload; the tenant is the key's unless given,
   * numbers are read as numbers (or left as text, for the check to report).
   */
  static JsonObject csvFields(MultiMap query, String tenant) {
    JsonObject fields = new JsonObject().put("kind", "bulk").put("tenant", query.get("tenant") == null ? tenant
        : query.get("tenant"));
    for (String name : new String[] {"id", "from", "replyTo", "priority", "notBefore", "expiresAt", "stream"}) {
      if (query.get(name) != null) {
        fields.put(name, query.get(name));
      }
    }
    if (query.get("part") != null) {
      fields.put("part", number(query.get("part")));
    }
    if (query.get("maxRate") != null) {
      fields.put("maxRate", number(query.get("maxRate")));
    }
    if (query.get("template") != null || query.get("version") != null) {
      JsonObject ref = new JsonObject();
      if (query.get("template") != null) {
        ref.put("name", query.get("template"));
      }
      if (query.get("version") != null) {
        ref.put("version", number(query.get("version")));
      }
      fields.put("templateRef", ref);
    }
    return fields;
  }

  private static Object number(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException notANumber) {
        return text;
      }
    }
  }

  /** Why the tenant may not send this part (a problem document), or null when it may. */
  private Future<Problem> check(String tenant, BulkReading reading) {
    if (!reading.valid()) {
      return Future.succeededFuture(Problem.of(400, "invalid-bulk", "The bulk send is invalid", reading.message())
          .withErrors(BulkUpload.errors(reading.violations())));
    }
    BulkJob bulk = reading.job();
    if (!bulk.tenant().equals(tenant)) {
      return Future.succeededFuture(Problem.of(403, "forbidden-tenant", "Not allowed for this API key",
          "this API key belongs to tenant '" + tenant + "'; it cannot send for tenant '" + bulk.tenant() + "'"));
    }
    if (!senders.allows(tenant, bulk.from().email())) {
      return Future.succeededFuture(Problem.of(403, "forbidden-sender", "Not allowed for this API key",
          "tenant '" + tenant + "' may send from " + senders.domainsOf(tenant).stream().sorted().toList() + "; '"
              + bulk.from().email() + "' is not in one of them"));
    }
    return ready.map(caughtUp -> {
      if (!sends.owner(bulk.id()).orElse(tenant).equals(tenant)) {
        return Problem.of(409, "id-taken", "The id is taken", "a bulk send with id '" + bulk.id()
            + "' exists already; choose another id");
      }
      if (sends.control(tenant, bulk.id()) == BulkControl.Mode.CANCELLED) {
        return Problem.of(409, "bulk-cancelled", "The bulk send was cancelled", "bulk send '" + bulk.id()
            + "' was cancelled; no more parts are taken for it: upload under a new id");
      }
      if (bulk.template().needsRegistry() && bulk.template().resolve(templates.of(tenant)).isEmpty()) {
        return Problem.of(400, "template-not-found", "No such template", "template "
            + bulk.template().ref() + " is not registered for tenant '" + tenant + "': PUT /v1/templates/"
            + bulk.template().ref().name() + " first, or name a version GET /v1/templates/"
            + bulk.template().ref().name() + " lists");
      }
      return null;
    });
  }

  /** Reads the recipients from the kept file, publishes them, then the part's record; answers; deletes the file. */
  private void publish(RoutingContext ctx, BulkJob bulk, java.util.function.Supplier<RecipientSource> source,
      Function<io.postroom.contract.bulk.RecipientEntry, JsonObject> where, Path file) {
    int part = bulk.part() == null ? 1 : bulk.part();
    BulkUpload upload = new BulkUpload(chunk -> publisher.send(KafkaProducerRecord.create(kafka.jobsTopic(),
        chunk.key(), chunk.value())).toCompletionStage(), settings.chunkRecipients(), settings.maxChunkBytes(),
        settings.problemsListed(), IN_FLIGHT);
    workers.executeBlocking(() -> upload.run(bulk, part, source.get(), where), false)
        .onComplete(done -> delete(file))
        .onSuccess(outcome -> answer(ctx, bulk, part, outcome))
        .onFailure(error -> {
          if (error instanceof CsvRecipients.HeaderException) {
            Responses.problem(ctx, Problem.of(400, "invalid-csv", "The CSV's header row cannot be used",
                error.getMessage() + "; nothing was published"));
          } else if (error instanceof IllegalArgumentException) {
            Responses.problem(ctx, Problem.of(413, "bulk-fields-too-large", "The bulk send's fields are too large",
                error.getMessage() + "; nothing was published"));
          } else {
            ctx.fail(error);
          }
        });
  }

  private void answer(RoutingContext ctx, BulkJob bulk, int part, BulkUpload.Outcome outcome) {
    registry.counter("postroom_api_bulk_recipients_total", "outcome", "accepted").increment(outcome.accepted());
    registry.counter("postroom_api_bulk_recipients_total", "outcome", "rejected").increment(outcome.rejected());
    if (outcome.failure() != null) {
      Responses.problem(ctx, unavailable(outcome.failure()), "Retry-After", "5");
      return;
    }
    if (outcome.accepted() == 0) {
      Responses.problem(ctx, Problem.of(400, "no-valid-recipients", "No recipient of the part is valid",
          outcome.rejected() == 0 ? "the part has no recipients" : "all " + outcome.rejected()
              + " recipients have errors; nothing was published").with("rejected", outcome.rejected())
          .with("problems", outcome.problems()));
      return;
    }
    BulkSends.Part record = new BulkSends.Part(part, outcome.accepted(), outcome.rejected(), outcome.chunks(),
        Instant.now().toString());
    JsonObject value = BulkSends.partRecord(bulk.tenant(), bulk.id(), record);
    publisher.send(KafkaProducerRecord.create(kafka.bulkTopic(), BulkSends.partKey(bulk.tenant(), bulk.id(), part),
        value.toBuffer())).onComplete(written -> {
          if (written.failed()) {
            Responses.problem(ctx, unavailable(written.cause().getMessage()), "Retry-After", "5");
            return;
          }
          sends.applyPart(value.toBuffer().getBytes());
          ctx.response().setStatusCode(202).putHeader("Location", "/v1/bulk/" + bulk.id());
          ctx.json(new JsonObject().put("id", bulk.id()).put("tenant", bulk.tenant()).put("part", part)
              .put("accepted", outcome.accepted()).put("rejected", outcome.rejected()).put("chunks", outcome.chunks())
              .put("problems", outcome.problems())
              .put("problemsOmitted", outcome.rejected() - outcome.problems().size()));
        });
  }

  /**
   * Keeps the body in a file in {@code api.bulk.uploadDir}, reading no faster than the disk writes;
   * fails the request with 413 beyond {@code api.bulk.maxUploadBytes}.
   */
  private Future<Path> spool(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader("Content-Length");
    if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()
        && Long.parseLong(length) > settings.maxUploadBytes()) {
      refuse(ctx, tooLarge());
      return Future.failedFuture("too large");
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      ctx.response().writeContinue(); // curl waits for it before a large body: the checks have passed
    }
    Path path = settings.uploadDir().resolve("postroom-bulk-" + UUID.randomUUID() + ".upload");
    Promise<Path> spooled = Promise.promise();
    vertx.fileSystem().open(path.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .onFailure(error -> {
          refuse(ctx, Problem.of(503, "upload-dir-unusable", "The upload cannot be kept", "the api cannot write "
              + path + " (" + error.getMessage() + "); check api.bulk.uploadDir"));
          spooled.fail(error);
        })
        .onSuccess(file -> copy(ctx, request, file, path, spooled));
    return spooled.future();
  }

  private void copy(RoutingContext ctx, HttpServerRequest request, AsyncFile file, Path path, Promise<Path> spooled) {
    long[] size = {0};
    request.handler(buffer -> {
      if (spooled.future().isComplete()) {
        return;
      }
      size[0] += buffer.length();
      if (size[0] > settings.maxUploadBytes()) {
        file.close().onComplete(closed -> delete(path));
        refuse(ctx, tooLarge());
        spooled.fail("too large");
        return;
      }
      file.write(buffer);
      if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(drained -> request.resume());
      }
    });
    request.exceptionHandler(error -> file.close().onComplete(closed -> {
      delete(path);
      spooled.tryFail(error);
    }));
    request.endHandler(ended -> file.close().onComplete(closed -> {
      if (closed.succeeded()) {
        spooled.tryComplete(path);
      } else {
        delete(path);
        spooled.tryFail(closed.cause());
        refuse(ctx, Problem.of(503, "upload-dir-unusable", "The upload cannot be kept", "the api could not write "
            + path + " (" + closed.cause().getMessage() + "); check api.bulk.uploadDir"));
      }
    }));
    request.resume();
  }

  private Problem tooLarge() {
    return Problem.of(413, "body-too-large", "The body is too large", "a bulk upload is limited to "
        + settings.maxUploadBytes() + " bytes (api.bulk.maxUploadBytes): upload the send in several parts");
  }

  /**
   * Answers before the body is read: an HTTP/1.1 connection closes, rather than the body being read
   * for nothing (HTTP/2 resets the stream itself and has no Connection header).
   */
  private static void refuse(RoutingContext ctx, Problem problem) {
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      Responses.problem(ctx, problem);
    } else {
      Responses.problem(ctx, problem, "Connection", "close");
    }
  }

  private static Problem unavailable(String cause) {
    return Problem.of(503, "kafka-unavailable", "The bulk send could not be handed to Kafka", "Kafka did not take"
        + " the part (" + cause + "); upload the part again later: recipients already published are not sent twice");
  }

  private void delete(Path file) {
    vertx.fileSystem().delete(file.toString()).onFailure(e -> LOG.warn("could not delete upload {}: {}", file,
        e.getMessage()));
  }

  public Future<Void> close() {
    return workers.close();
  }
}
