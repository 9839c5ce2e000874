package io.postroom.dispatcher;

import io.postroom.api.Address;
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
import io.vertx.ext.mail.MailResult;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
   * @param onRetrying publishes a RETRYING event; the next attempt starts once it is durable
   */
  Future<Outcome> deliver(Job job, MailMessage message, Function<Outcome, Future<Void>> onRetrying) {
    return attempt(job, message, 0, onRetrying);
  }

  private Future<Outcome> attempt(Job job, MailMessage message, int attemptsMade,
      Function<Outcome, Future<Void>> onRetrying) {
    if (job.expiresAt() != null && !clock.instant().isBefore(job.expiresAt())) {
      return Future.succeededFuture(Outcome.expired(attemptsMade, job.expiresAt()));
    }
    Lane lane = new Lane(job.priority(), job.tenant());
    return rateLimits.tenantPermit(job.tenant())
        .compose(v -> router.acquire(lane))
        .compose(relay -> rateLimits.relayPermit(relay.name()).map(relay))
        .compose(relay -> send(job, message, attemptsMade, relay, onRetrying));
  }

  private Future<Outcome> send(Job job, MailMessage message, int attemptsMade, Relay relay,
      Function<Outcome, Future<Void>> onRetrying) {
    long started = System.nanoTime();
    return relay.send(message).transform(result -> {
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
        return Future.succeededFuture(Outcome.sent(attemptsMade + 1, relay.name(), refused(job, result.result())));
      }
      if (failure.asksToSlowDown()) {
        rateLimits.throttled(relay.name());
        metrics.slowDown(relay.name());
      }
      metrics.attempt(relay.name(), failure.kind().name().toLowerCase(Locale.ROOT), failure.smtpCode(), elapsed);
      return switch (failure.kind()) {
        case RELAY -> attempt(job, message, attemptsMade, onRetrying);
        case PERMANENT -> Future.succeededFuture(Outcome.failed(attemptsMade + 1, relay.name(), failure));
        case TRANSIENT -> retryOrGiveUp(job, message, attemptsMade + 1, relay, failure, onRetrying);
      };
    });
  }

  private Future<Outcome> retryOrGiveUp(Job job, MailMessage message, int attemptsMade, Relay relay,
      SendFailure failure, Function<Outcome, Future<Void>> onRetrying) {
    return retryPolicy.next(attemptsMade, ThreadLocalRandom.current())
        .map(pause -> onRetrying.apply(Outcome.retrying(attemptsMade, relay.name(), failure))
            .compose(v -> vertx.timer(Math.max(1, pause.toMillis())))
            .compose(v -> attempt(job, message, attemptsMade, onRetrying)))
        .orElseGet(() -> Future.succeededFuture(Outcome.exhausted(attemptsMade, relay.name(), failure)));
  }

  /** Recipients the relay refused while it accepted the message for the others. */
  private static List<String> refused(Job job, MailResult result) {
    Set<String> accepted = new HashSet<>();
    result.getRecipients().forEach(r -> accepted.add(r.toLowerCase(Locale.ROOT)));
    return job.recipients().stream().map(Address::email)
        .filter(email -> !accepted.contains(email.toLowerCase(Locale.ROOT)))
        .toList();
  }
}
