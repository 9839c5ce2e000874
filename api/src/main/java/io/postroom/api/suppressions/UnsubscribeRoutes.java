package io.postroom.api.suppressions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.api.http.KeyRateLimiter;
import io.postroom.contract.metrics.ComplianceMetricNames;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.compliance.UnsubscribeToken;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-click unsubscribe link of each bulk mail (RFC 8058), without any other authentication:
 * the sealed token is the credential ({@link UnsubscribeToken}).
 * <ul>
 *   <li>{@code POST /u/{token}} (a mail client's one-click, body {@code List-Unsubscribe=One-Click},
 *       or the confirmation page's button): writes the token's suppression to {@code
 *       mail.suppressions} and answers {@code 200} once Kafka has it; an address already suppressed
 *       for that stream is not written again (the first time is kept). A browser gets a small page,
 *       anything else a line of text.
 *   <li>{@code GET /u/{token}}: a confirmation page with one button that POSTs to the same URL. It
 *       never writes: mail scanners and link previews follow links.
 * </ul>
 * A token that is malformed, altered or sealed with a key no longer listed, and every token when no
 * keys are configured, is {@code 404} and writes nothing. Requests are limited per client address.
 */
public final class UnsubscribeRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(UnsubscribeRoutes.class);
  private static final String TOKEN = "postroom.unsubscribe";
  private static final long MAX_BODY = 16 * 1024;

  private final Optional<TokenKeys> keys;
  private final Suppressions suppressions;
  private final KeyRateLimiter perClient;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Counter refused;

  public UnsubscribeRoutes(Optional<TokenKeys> keys, Suppressions suppressions, KeyRateLimiter perClient, Clock clock,
      MeterRegistry registry) {
    this.keys = keys;
    this.suppressions = suppressions;
    this.perClient = perClient;
    this.clock = clock;
    this.registry = registry;
    this.refused = Counter.builder(ComplianceMetricNames.API_UNSUBSCRIBE_REFUSED)
        .description("Requests to /u/{token} with a token that is malformed, altered or sealed with a key no longer"
            + " listed (404, nothing written)").register(registry);
  }

  public void mount(Router router) {
    // as POST /v1/jobs: the checks on a route of their own, so that a refused caller's body is never read
    router.post("/u/:token").handler(this::limit).handler(this::open);
    router.post("/u/:token").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::unsubscribe);
    router.get("/u/:token").handler(this::limit).handler(this::open).handler(this::confirmation);
  }

  private void limit(RoutingContext ctx) {
    Optional<Duration> wait = perClient.take(ctx.request().remoteAddress() == null ? "?"
        : ctx.request().remoteAddress().hostAddress());
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      text(ctx, 429, "Too many requests from this address; try again in " + seconds + " s.",
          "Retry-After", Long.toString(seconds));
      return;
    }
    ctx.next();
  }

  private void open(RoutingContext ctx) {
    Optional<UnsubscribeToken> token = keys.flatMap(k -> UnsubscribeToken.open(k, ctx.pathParam("token")));
    if (token.isEmpty()) {
      refused.increment();
      if (wantsPage(ctx)) {
        page(ctx, 404, UnsubscribePage.notFound());
      } else {
        text(ctx, 404, "This unsubscribe link is not valid.");
      }
      return;
    }
    ctx.put(TOKEN, token.get());
    ctx.next();
  }

  private void unsubscribe(RoutingContext ctx) {
    UnsubscribeToken token = ctx.get(TOKEN);
    boolean fromPage = wantsPage(ctx) || ctx.body().asString() != null && ctx.body().asString().contains("confirmed=page");
    suppressions.suppressOnce(token.suppression(clock.instant(), "one-click")).onComplete(written -> {
      if (written.failed()) {
        LOG.warn("an unsubscribe of tenant {} could not be written: {}", token.tenant(), written.cause().getMessage());
        text(ctx, 503, "The unsubscribe could not be recorded just now; please try again in a minute.",
            "Retry-After", "30");
        return;
      }
      if (written.result()) {
        Counter.builder(ComplianceMetricNames.API_UNSUBSCRIBES)
            .description("One-click unsubscribes written to mail.suppressions (a repeated one is not counted)")
            .tag("tenant", token.tenant()).register(registry).increment();
      }
      if (fromPage) {
        page(ctx, 200, UnsubscribePage.done(token));
      } else {
        text(ctx, 200, "Unsubscribed.");
      }
    });
  }

  private void confirmation(RoutingContext ctx) {
    UnsubscribeToken token = ctx.get(TOKEN);
    suppressions.covering(token.tenant(), token.stream(), token.address()).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      page(ctx, 200, UnsubscribePage.confirm(ctx.pathParam("token"), token, found.result().isPresent()));
    });
  }

  /** A browser asks for HTML; a mail client's one-click does not. */
  private static boolean wantsPage(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return ctx.request().method().name().equals("GET") || accept != null && accept.contains("text/html");
  }

  private static void page(RoutingContext ctx, int status, String html) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", UnsubscribePage.CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Robots-Tag", "noindex")
        .putHeader("Cache-Control", "no-store")
        .end(html);
  }

  private static void text(RoutingContext ctx, int status, String line, String... headers) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      ctx.response().putHeader(headers[i], headers[i + 1]);
    }
    ctx.response().end(line + "\n");
  }
}
