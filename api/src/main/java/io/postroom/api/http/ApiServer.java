package io.postroom.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postroom.api.bulk.BulkApi;
import io.postroom.contract.JobValidator;
import io.postroom.api.dashboard.BacklogProbe;
import io.postroom.api.dashboard.BulkBoard;
import io.postroom.api.dashboard.DashboardFeed;
import io.postroom.api.dashboard.DispatcherMetricsProbe;
import io.postroom.api.dashboard.FlowStats;
import io.postroom.api.dashboard.TenantHealth;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.kafka.KafkaStartCheck;
import io.postroom.contract.metrics.ProcessMeters;
import io.postroom.contract.process.StartFailure;
import io.postroom.api.status.JobStatusStore;
import io.postroom.api.status.StatusFollower;
import io.postroom.api.suppressions.SuppressionStore;
import io.postroom.api.suppressions.SuppressionView;
import io.postroom.api.suppressions.SuppressionsApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api's HTTP server: {@code POST /v1/jobs} ({@link JobIntake}), {@code GET /v1/jobs/{id}} and
 * {@code GET /v1/jobs} ({@link JobQueries}, from the {@link JobStatusStore}); the post behind, in this order, the
 * content-type check, the API key ({@link ApiKeys}), the per-key rate limit ({@link KeyRateLimiter})
 * and the body size limit, so that nothing is read from a caller who may not send; the bulk sends'
 * and templates' routes ({@link BulkApi}) and the suppression list's ({@link SuppressionsApi}:
 * {@code /v1/suppressions} behind the same checks, the one-click {@code /u/{token}} behind its
 * token); plus
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}. Every error is a problem
 * document ({@link Problem}).
 */
public final class ApiServer {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String TENANT = "postroom.tenant";
  private static final String KEY_NAME = "postroom.keyName";

  private final Vertx vertx;
  private final ApiConfig config;
  private final PrometheusMeterRegistry registry = ProcessMeters.bind(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  private final ApiKeys keys;
  private final KeyRateLimiter rateLimiter;
  private JobPublisher publisher;
  private JobStatusStore store;
  private StatusFollower follower;
  private BulkApi bulk;
  private SuppressionStore suppressionStore;
  private SuppressionView suppressionView;
  private SuppressionsApi suppressions;
  private final FlowStats flow = new FlowStats(System::currentTimeMillis);
  private final BulkBoard bulkBoard = new BulkBoard(System::currentTimeMillis);
  private final TenantHealth health = new TenantHealth(System::currentTimeMillis, registry);
  private DashboardFeed dashboard;
  private HttpServer server;

  public ApiServer(Vertx vertx, ApiConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.keys = new ApiKeys(config.apiKeys());
    this.rateLimiter = new KeyRateLimiter(config.requestsPerSecondPerKey(), 100_000, System::nanoTime);
  }

  /** Listens on the configured port (0: any free one); the future holds the port. */
  public Future<Integer> start() {
    return vertx.executeBlocking(() -> {
          KafkaSection kafka = config.kafka();
          LOG.info("waiting for Kafka at {} (at most {} s)", kafka.bootstrapServers(),
              kafka.startTimeout().toSeconds());
          try (KafkaStartCheck check = KafkaStartCheck.reach(kafka.clientProperties("start-check"),
              "POSTROOM_KAFKA_BOOTSTRAP (kafka.bootstrap)", kafka.startTimeout())) {
            check.requireTopics(List.of(kafka.jobsTopic(), kafka.statusTopic()), "kafka.topics (jobs, status)");
            BulkApi.createTopics(check, kafka);
            SuppressionsApi.createTopic(check, kafka);
          }
          try {
            JobStatusStore opened = new JobStatusStore(config.stateDir());
            try {
              suppressionStore = new SuppressionStore(SuppressionsApi.storeDir(config));
              suppressionView = new SuppressionView(suppressionStore, config.kafka(), health::record);
            } catch (IllegalStateException e) {
              opened.close();
              throw e;
            }
            return opened;
          } catch (IllegalStateException e) {
            throw new StartFailure(e.getMessage() + "; make " + config.stateDir() + " a writable directory,"
                + " or set POSTROOM_API_STATE_DIR (api.stateDir)");
          }
        }, false)
        .compose(opened -> {
          store = opened;
          follower = new StatusFollower(store, config.kafka(), events -> {
            flow.record(events);
            bulkBoard.record(events);
            health.record(events);
          });
          follower.start();
          return listen(new JobStates(vertx, store));
        });
  }

  private Future<Integer> listen(JobStates states) {
    publisher = new JobPublisher(vertx, config);
    JobIntake intake = new JobIntake(new JobValidator(config.maxMessageBytes()),
        new SenderPolicy(config.senderDomains()), publisher, states, config.maxBatch(), registry);
    JobQueries queries = new JobQueries(states);
    bulk = new BulkApi(vertx, config, store, publisher, registry, bulkBoard::active);
    dashboard = new DashboardFeed(vertx, flow,
        new BacklogProbe(vertx, config.kafka().clientProperties("dashboard"), config.kafka().jobsTopic(),
            config.kafka().consumerGroup()),
        new DispatcherMetricsProbe(vertx, config.dispatchers()), bulkBoard, BulkBoard.Source.of(store, bulk.sends()), health);
    dashboard.start();
    io.micrometer.core.instrument.Gauge.builder("postroom_backlog_jobs", dashboard, DashboardFeed::backlogTotal)
        .description("Records of mail.jobs the dispatchers' consumer group has not committed yet (probed each second)")
        .register(registry);
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/openapi.yaml").handler(ctx -> resource(ctx, "/openapi.yaml", "application/yaml"));
    router.get("/").handler(ctx -> resource(ctx, "/dashboard.html", "text/html; charset=utf-8"));
    router.get("/v1/dashboard").handler(dashboard::current);
    router.get("/v1/dashboard/stream").handler(dashboard::stream);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
    // two routes: Vert.x Web puts a body handler before any other on its route, but the body of a
    // caller who may not send should not even be read; these checks are synchronous, so the body
    // handler of the second route is attached before any of the body arrives
    router.post("/v1/jobs")
        .handler(this::jsonOnly)
        .handler(this::authenticate)
        .handler(this::rateLimit);
    router.post("/v1/jobs")
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .handler(ctx -> intake.handle(ctx, ctx.get(TENANT)));
    bulk.mount(router, this::jsonOnly, List.of(this::authenticate, this::rateLimit), ctx -> ctx.get(TENANT));
    suppressions = new SuppressionsApi(vertx, config, suppressionStore, suppressionView, publisher, registry);
    suppressions.mount(router, List.of(this::authenticate, this::rateLimit), ctx -> ctx.get(TENANT),
        ctx -> ctx.get(KEY_NAME));
    router.get("/v1/jobs/:id").handler(this::authenticate).handler(this::rateLimit)
        .handler(ctx -> queries.one(ctx, ctx.get(TENANT)));
    router.get("/v1/jobs").handler(this::authenticate).handler(this::rateLimit)
        .handler(ctx -> queries.list(ctx, ctx.get(TENANT)));
    router.route().last().handler(ctx -> Responses.problem(ctx, Problem.of(404, "not-found", "No such resource",
        ctx.request().method() + " " + ctx.request().path() + " is not an endpoint of this api")));
    router.errorHandler(413, ctx -> Responses.problem(ctx, Problem.of(413, "body-too-large", "The body is too large",
        "requests are limited to " + config.maxBodyBytes() + " bytes (api.maxBodyBytes)")));
    router.errorHandler(405, ctx -> Responses.problem(ctx, Problem.of(405, "method-not-allowed",
        "Method not allowed", ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(500, ctx -> {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      Responses.problem(ctx, Problem.of(500, "internal", "Internal error", "the api failed; see its log"));
    });
    router.route().order(-1).handler(ctx -> {
      ctx.addEndHandler(ignored -> Counter.builder("postroom_api_requests_total")
          .description("HTTP requests by route and status").tag("status", Integer.toString(ctx.response().getStatusCode()))
          .register(registry).increment());
      ctx.next();
    });
    return vertx.createHttpServer().requestHandler(router).listen(config.port())
        .recover(error -> Future.failedFuture(new StartFailure("cannot listen on port " + config.port() + " ("
            + StartFailure.sentence(error) + "); stop what holds it, or set POSTROOM_API_PORT (api.port) to a free port")))
        .map(s -> {
          server = s;
          LOG.info("api on http://0.0.0.0:{}/ publishing to {} at {}", s.actualPort(), config.kafka().jobsTopic(),
              config.kafka().bootstrapServers());
          return s.actualPort();
        });
  }

  private void resource(RoutingContext ctx, String name, String contentType) {
    vertx.executeBlocking(() -> {
          try (java.io.InputStream in = ApiServer.class.getResourceAsStream(name)) {
            return Buffer.buffer(in.readAllBytes());
          }
        }, false)
        .onSuccess(bytes -> ctx.response().putHeader("Content-Type", contentType).end(bytes))
        .onFailure(ctx::fail);
  }

  private void jsonOnly(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      Responses.problem(ctx, Problem.of(415, "unsupported-media-type", "Send JSON",
          "the body must be application/json, not " + (type == null ? "unspecified" : "'" + type + "'")));
      return;
    }
    ctx.next();
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Responses.problem(ctx, Problem.of(401, "unauthenticated", "An API key is needed",
          "send your tenant's API key as 'Authorization: Bearer <key>'"), "WWW-Authenticate", "Bearer realm=\"postroom\"");
      return;
    }
    Optional<String> tenant = keys.tenantOf(header.substring(7).trim());
    if (tenant.isEmpty()) {
      Responses.problem(ctx, Problem.of(401, "unknown-key", "The API key is not valid",
          "this API key is not configured for any tenant (or was revoked)"), "WWW-Authenticate",
          "Bearer realm=\"postroom\", error=\"invalid_token\"");
      return;
    }
    ctx.put(TENANT, tenant.get());
    ctx.put(KEY_NAME, ApiKeys.nameOf(header.substring(7).trim()));
    ctx.next();
  }

  private void rateLimit(RoutingContext ctx) {
    String key = ctx.request().getHeader("Authorization");
    Optional<Duration> wait = rateLimiter.take(key);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      Responses.problem(ctx, Problem.of(429, "rate-limited", "Too many requests",
          "this API key may make " + (long) config.requestsPerSecondPerKey() + " requests per second"
              + " (api.requestsPerSecondPerKey); try again in " + seconds + " s, or send jobs in batches"),
          "Retry-After", Long.toString(seconds));
      return;
    }
    ctx.next();
  }

  private void ready(RoutingContext ctx) {
    publisher.check().timeout(5, java.util.concurrent.TimeUnit.SECONDS).onComplete(
        ok -> ctx.json(new JsonObject().put("status", "UP").put("kafka", "reachable")),
        error -> {
          ctx.response().setStatusCode(503);
          ctx.json(new JsonObject().put("status", "DOWN").put("kafka", "cannot read " + config.kafka().jobsTopic() + " at "
              + config.kafka().bootstrapServers() + ": " + error.getMessage()));
        });
  }

  public Future<Void> close() {
    Future<Void> http = (dashboard == null ? Future.<Void>succeededFuture() : dashboard.close())
        .eventually(() -> server == null ? Future.succeededFuture() : server.close());
    return http.eventually(() -> bulk == null ? Future.succeededFuture() : bulk.close())
        .eventually(() -> suppressions != null ? suppressions.close() : suppressionStore == null
            ? Future.succeededFuture() : vertx.executeBlocking(() -> {
              suppressionStore.close();
              return null;
            }))
        .eventually(() -> publisher == null ? Future.succeededFuture() : publisher.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          if (follower != null) {
            follower.close();
          }
          if (store != null) {
            store.close();
          }
          return null;
        }));
  }
}
