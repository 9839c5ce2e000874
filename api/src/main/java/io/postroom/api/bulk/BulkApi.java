package io.postroom.api.bulk;

import io.postroom.contract.bulk.BulkControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.api.http.ApiConfig;
import io.postroom.api.http.JobPublisher;
import io.postroom.api.http.SenderPolicy;
import io.postroom.api.status.JobStatusStore;
import io.postroom.api.templates.TemplateRoutes;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.kafka.TopicFollower;
import io.postroom.contract.template.RegisteredTemplates;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api's bulk sends and templates: their topics ({@code mail.templates}, {@code mail.bulk},
 * {@code mail.bulk.control}, created compacted at start when missing), one follower that reads the
 * three into memory ({@link RegisteredTemplates}, {@link BulkSends}), and their routes, behind the
 * same API key, rate limit and content checks as {@code /v1/jobs}.
 */
public final class BulkApi {
  private static final Logger LOG = LoggerFactory.getLogger(BulkApi.class);

  private final Vertx vertx;
  private final KafkaSection kafka;
  private final RegisteredTemplates templates = new RegisteredTemplates();
  private final BulkSends sends;
  private final TopicFollower follower;
  private final BulkIntake intake;
  private final BulkProgress progress;
  private final TemplateRoutes templateRoutes;
  private final long maxBodyBytes;

  /** Creates the compacted topics that are missing (one partition each: they are small), at start. */
  public static void createTopics(KafkaStartCheck check, KafkaSection kafka) {
    check.createCompacted(topics(kafka), 1, "kafka.topics (templates, bulk, bulkControl)");
  }

  private static List<String> topics(KafkaSection kafka) {
    return List.of(kafka.templatesTopic(), kafka.bulkTopic(), kafka.bulkControlTopic());
  }

  /** @param uploads told of every part of a bulk send read from {@code mail.bulk} */
  public BulkApi(Vertx vertx, ApiConfig config, JobStatusStore store, JobPublisher publisher, MeterRegistry registry,
      BulkSends.Uploads uploads) {
    this.vertx = vertx;
    this.sends = new BulkSends(uploads);
    this.kafka = config.kafka();
    this.maxBodyBytes = config.maxBodyBytes();
    follower = new TopicFollower(topics(kafka), kafka.clientProperties("bulk"), "postroom-bulk-follower", this::apply)
        .onStop(e -> LOG.error("stopped following {}: {}; templates and bulk sends are no longer updated",
            topics(kafka), e.toString()))
        .start();
    Future<Void> ready = Future.fromCompletionStage(follower.caughtUp(), vertx.getOrCreateContext());
    intake = new BulkIntake(vertx, config.bulk(), kafka, publisher, new SenderPolicy(config.senderDomains()),
        sends, templates, ready, registry);
    progress = new BulkProgress(vertx, sends, store, publisher, kafka.bulkControlTopic(), ready);
    templateRoutes = new TemplateRoutes(publisher, templates, (partition, offset) -> Future.fromCompletionStage(
        follower.applied(kafka.templatesTopic(), partition, offset), vertx.getOrCreateContext()),
        kafka.templatesTopic(), ready);
  }

  /** The bulk sends uploaded, as read from {@code mail.bulk} and {@code mail.bulk.control}. */
  public BulkSends sends() {
    return sends;
  }

  private void apply(List<TopicFollower.Entry> entries) {
    for (TopicFollower.Entry entry : entries) {
      if (entry.topic().equals(kafka.templatesTopic())) {
        String skipped = templates.apply(entry.key(), entry.value());
        if (skipped != null) {
          LOG.warn("{}", skipped);
        }
      } else if (entry.topic().equals(kafka.bulkTopic())) {
        sends.applyPart(entry.value());
      } else {
        sends.applyControl(entry.value());
      }
    }
  }

  /**
   * The routes; {@code guards} are the checks every tenant request passes first (API key, rate
   * limit), {@code jsonOnly} the content-type check of JSON bodies.
   */
  public void mount(Router router, Handler<RoutingContext> jsonOnly, List<Handler<RoutingContext>> guards,
      Function<RoutingContext, String> tenant) {
    guarded(router.post("/v1/bulk"), guards).handler(ctx -> intake.upload(ctx, tenant.apply(ctx)));
    guarded(router.get("/v1/bulk/:id"), guards).handler(ctx -> progress.get(ctx, tenant.apply(ctx)));
    guarded(router.post("/v1/bulk/:id/cancel"), guards)
        .handler(ctx -> progress.control(ctx, tenant.apply(ctx), BulkControl.Mode.CANCELLED));
    guarded(router.post("/v1/bulk/:id/pause"), guards)
        .handler(ctx -> progress.control(ctx, tenant.apply(ctx), BulkControl.Mode.PAUSED));
    guarded(router.post("/v1/bulk/:id/resume"), guards)
        .handler(ctx -> progress.control(ctx, tenant.apply(ctx), BulkControl.Mode.RUNNING));
    guarded(router.get("/v1/templates/:name"), guards).handler(ctx -> templateRoutes.list(ctx, tenant.apply(ctx)));
    guarded(router.get("/v1/templates/:name/:version"), guards)
        .handler(ctx -> templateRoutes.one(ctx, tenant.apply(ctx)));
    // as POST /v1/jobs: the checks on a route of their own, so that a refused caller's body is never read
    guarded(router.put("/v1/templates/:name").handler(jsonOnly), guards);
    router.put("/v1/templates/:name").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(ctx -> templateRoutes.put(ctx, tenant.apply(ctx)));
    guarded(router.post("/v1/templates/:name/preview").handler(jsonOnly), guards);
    router.post("/v1/templates/:name/preview").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(ctx -> templateRoutes.preview(ctx, tenant.apply(ctx)));
  }

  private static Route guarded(Route route, List<Handler<RoutingContext>> guards) {
    guards.forEach(route::handler);
    return route;
  }

  /** Closes the intake's workers, then the follower (off the event loop: it waits for its thread to end). */
  public Future<Void> close() {
    return intake.close().eventually(() -> vertx.executeBlocking(() -> {
      follower.close();
      return null;
    }, false)).mapEmpty();
  }
}
