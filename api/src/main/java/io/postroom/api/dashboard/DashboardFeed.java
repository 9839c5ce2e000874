package io.postroom.api.dashboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/dashboard/stream}: Server-Sent Events, one snapshot a second to every open page:
 * the flow from {@code mail.status} ({@link FlowStats}), the backlog of the dispatchers' group
 * ({@link BacklogProbe}) and the relays as the dispatchers report them
 * ({@link DispatcherMetricsProbe}), the bulk sends under way ({@link BulkBoard}) and each tenant's
 * mail health over the last 24 h ({@link TenantHealth}, with the DKIM counts the dispatchers report).
 * One probe a second whatever the number of pages.
 */
public final class DashboardFeed {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

  private final Vertx vertx;
  private final FlowStats flow;
  private final BacklogProbe backlog;
  private final DispatcherMetricsProbe dispatchers;
  private final BulkBoard bulkBoard;
  private final BulkBoard.Source bulkSource;
  private final TenantHealth health;
  private final Set<HttpServerResponse> pages = new HashSet<>();
  private JsonObject latest = new JsonObject();
  private long timer = -1;
  private boolean probing;

  public DashboardFeed(Vertx vertx, FlowStats flow, BacklogProbe backlog, DispatcherMetricsProbe dispatchers,
      BulkBoard bulkBoard, BulkBoard.Source bulkSource, TenantHealth health) {
    this.vertx = vertx;
    this.flow = flow;
    this.backlog = backlog;
    this.dispatchers = dispatchers;
    this.bulkBoard = bulkBoard;
    this.bulkSource = bulkSource;
    this.health = health;
  }

  /** Jobs of mail.jobs the dispatchers' group has not committed, at the last probe; NaN before one. */
  public double backlogTotal() {
    JsonObject backlog = latest.getJsonObject("backlog");
    return backlog == null || backlog.getLong("total") == null ? Double.NaN : backlog.getLong("total");
  }

  public void start() {
    timer = vertx.setPeriodic(0, 1000, id -> tick());
  }

  /** The newest snapshot, also for tests and scripts: {@code GET /v1/dashboard}. */
  public void current(RoutingContext ctx) {
    ctx.json(latest.copy().mergeIn(flow.snapshot()));
  }

  public void stream(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    pages.add(response);
    response.closeHandler(v -> pages.remove(response));
    response.write(event(latest.copy().mergeIn(flow.snapshot())));
  }

  private void tick() {
    if (probing) {
      return;
    }
    probing = true;
    Future<JsonObject> lag = backlog.probe().recover(e -> Future.succeededFuture(
        new JsonObject().put("error", "cannot read the backlog: " + e.getMessage())));
    Future<JsonObject> relays = dispatchers.probe();
    // the status store is on disk: read off the event loop
    Future<JsonArray> bulks = vertx.executeBlocking(() -> bulkBoard.snapshot(bulkSource), false);
    Future.join(lag, relays, bulks).onComplete(ignored -> {
      probing = false;
      if (bulks.failed()) {
        LOG.warn("cannot read the bulk sends' progress: {}", bulks.cause().toString());
      }
      JsonObject seen = relays.succeeded() ? relays.result() : new JsonObject();
      latest = new JsonObject().put("at", Instant.now().toString())
          .put("backlog", lag.succeeded() ? lag.result() : new JsonObject())
          .put("relays", seen)
          .put("bulkSends", bulks.succeeded() ? bulks.result() : new JsonArray())
          .put("mailHealth", health.snapshot(seen.getJsonObject("dkim", new JsonObject())));
      String event = event(latest.copy().mergeIn(flow.snapshot()));
      for (HttpServerResponse page : Set.copyOf(pages)) {
        if (page.writeQueueFull()) {
          // a page that does not read skips snapshots instead of piling them up in memory
          continue;
        }
        page.write(event).onFailure(e -> pages.remove(page));
      }
    });
  }

  private static String event(JsonObject snapshot) {
    return "data: " + snapshot.encode() + "\n\n";
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    pages.forEach(page -> {
      try {
        page.end();
      } catch (IllegalStateException e) {
        LOG.debug("page gone: {}", e.getMessage());
      }
    });
    return backlog.close();
  }
}
