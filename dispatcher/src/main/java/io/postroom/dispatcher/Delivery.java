package io.postroom.dispatcher;

import io.postroom.api.Job;
import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.ratelimit.RateLimits;
import io.postroom.dispatcher.relay.FailureClassifier;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.RelayRouter;
import io.postroom.dispatcher.relay.SendFailure;
import io.postroom.dispatcher.retry.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The attempts of one valid job until it is SENT, FAILED or EXPIRED. The three failure classes
 * (see {@link FailureClassifier}) decide what happens next:
 *
 * <ul>
 *   <li>permanent (5xx): FAILED at once;
 *   <li>transient (4xx): RETRYING, then another attempt after the {@link RetryPolicy}'s pause;
 *   <li>relay-level: the relay is held, no attempt is used, and the job waits for a relay.
 * </ul>
 *
 * A job of more than a hundred recipients is several SMTP transactions ({@link Transactions}): each
 * is rate-limited and retried on its own, and the job is SENT when any recipient got it, with the
 * refused ones listed.
 */
final class Delivery {
  private final Vertx vertx;
  private final RelayRouter router;
  private final RateLimits rateLimits;
  private final RetryPolicy retryPolicy;
  private final DispatcherMetrics metrics;
  private final Clock clock;

  Delivery(Vertx vertx, RelayRouter router, RateLimits rateLimits, RetryPolicy retryPolicy, DispatcherMetrics metrics,
      Clock clock) {
    this.vertx = vertx;
    this.router = router;
    this.rateLimits = rateLimits;
    this.retryPolicy = retryPolicy;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * @param transactions the job's SMTP transactions (see {@code MessageComposer.transactions})
   * @param onRetrying publishes a RETRYING event; the next attempt starts once it is durable
   */
  Future<Outcome> deliver(Job job, List<MailMessage> transactions, Function<Outcome, Future<Void>> onRetrying) {
    return attempt(job, new Transactions(job, transactions), 0, onRetrying);
  }

  private Future<Outcome> attempt(Job job, Transactions transactions, int attemptsMade,
      Function<Outcome, Future<Void>> onRetrying) {
    if (job.expiresAt() != null && !clock.instant().isBefore(job.expiresAt())) {
      return Future.succeededFuture(Outcome.expired(attemptsMade, job.expiresAt()));
    }
    Lane lane = new Lane(job.priority(), job.tenant());
    return rateLimits.tenantPermit(job.tenant())
        .compose(v -> router.acquire(lane))
        .compose(relay -> rateLimits.relayPermit(relay.name()).map(relay))
        .compose(relay -> send(job, transactions, attemptsMade, relay, onRetrying));
  }

  private Future<Outcome> send(Job job, Transactions transactions, int attemptsMade, Relay relay,
      Function<Outcome, Future<Void>> onRetrying) {
    long started = System.nanoTime();
    return relay.send(transactions.current()).transform(result -> {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      SendFailure failure = result.failed()
          ? FailureClassifier.classify(result.cause(), relay.name(), relay.config().address())
          : null;
      // health first, then the slot: a send waiting for it must see the relay as this send left it
      if (failure != null && failure.kind() == SendFailure.Kind.RELAY) {
        relay.health().failed(failure);
      } else {
        relay.health().succeeded();
      }
      router.release(relay);
      if (failure == null) {
        rateLimits.succeeded(relay.name());
        metrics.attempt(relay.name(), "sent", 250, elapsed);
        return transactions.accepted(result.result())
            ? attempt(job, transactions, attemptsMade, onRetrying)
            : Future.succeededFuture(Outcome.sent(attemptsMade + 1, relay.name(), transactions.refusedRecipients()));
      }
      if (failure.asksToSlowDown()) {
        rateLimits.throttled(relay.name());
        metrics.slowDown(relay.name());
      }
      metrics.attempt(relay.name(), failure.kind().name().toLowerCase(Locale.ROOT), failure.smtpCode(), elapsed);
      return switch (failure.kind()) {
        case RELAY -> attempt(job, transactions, attemptsMade, onRetrying);
        case PERMANENT -> refused(job, transactions, attemptsMade, relay, failure, onRetrying);
        case TRANSIENT -> retryOrGiveUp(job, transactions, attemptsMade + 1, relay, failure, onRetrying);
      };
    });
  }

  private Future<Outcome> refused(Job job, Transactions transactions, int attemptsMade, Relay relay,
      SendFailure failure, Function<Outcome, Future<Void>> onRetrying) {
    if (transactions.refused(failure)) {
      return attempt(job, transactions, attemptsMade, onRetrying);
    }
    return Future.succeededFuture(transactions.anyAccepted()
        ? Outcome.sent(attemptsMade + 1, relay.name(), transactions.refusedRecipients())
        : Outcome.failed(attemptsMade + 1, relay.name(), transactions.lastRefusal()));
  }

  private Future<Outcome> retryOrGiveUp(Job job, Transactions transactions, int attemptsMade, Relay relay,
      SendFailure failure, Function<Outcome, Future<Void>> onRetrying) {
    return retryPolicy.next(attemptsMade, ThreadLocalRandom.current())
        .map(pause -> onRetrying.apply(Outcome.retrying(attemptsMade, relay.name(), failure))
            .compose(v -> vertx.timer(Math.max(1, pause.toMillis())))
            .compose(v -> attempt(job, transactions, attemptsMade, onRetrying)))
        .orElseGet(() -> Future.succeededFuture(Outcome.exhausted(attemptsMade, relay.name(), failure)));
  }
}
