package io.postroom.dispatcher;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Job;
import io.postroom.contract.bulk.BulkControl;
import io.postroom.dispatcher.bulk.BulkControls;
import io.postroom.dispatcher.dkim.Signing;
import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.ratelimit.RateLimits;
import io.postroom.dispatcher.relay.FailureClassifier;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.RelayRouter;
import io.postroom.dispatcher.relay.SendFailure;
import io.postroom.dispatcher.retry.RetryPolicy;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One attempt of a valid job, which ends SENT, FAILED, EXPIRED or RETRYING (or REJECTED with
 * DKIM_NOT_CONFIGURED, before any send, when its tenant refuses unsigned mail and has no key for its
 * From domain: see {@link Signing}). The three failure
 * classes (see {@link FailureClassifier}) decide:
 *
 * <ul>
 *   <li>permanent (5xx): FAILED at once;
 *   <li>transient (4xx): RETRYING with the {@link RetryPolicy}'s pause, while attempts are left
 *       (the job then waits on a retry topic, not here), else FAILED with RETRIES_EXHAUSTED;
 *   <li>relay-level: the relay is held, no attempt is used, and the job waits here for a relay
 *       (partitions pause while none can take mail).
 * </ul>
 *
 * A job of more than a hundred recipients is several SMTP transactions ({@link Transactions}): each
 * is rate-limited on its own, a retry resumes at the one that failed, and the job is SENT when any
 * recipient got it, with the refused ones listed.
 */
final class Delivery {
  private static final Future<AttemptResult> HANDED_OVER = Future.succeededFuture(PartitionHandedOver.INSTANCE);
  private static final Future<AttemptResult> CANCELLED = Future.succeededFuture(Outcome.cancelled());

  private final RelayRouter router;
  private final RateLimits rateLimits;
  private final RetryPolicy retryPolicy;
  private final DispatcherMetrics metrics;
  private final Admission admission;
  private final BulkControls controls;
  private final Signing signing;

  Delivery(RelayRouter router, RateLimits rateLimits, RetryPolicy retryPolicy, DispatcherMetrics metrics,
      Admission admission, BulkControls controls) {
    this(router, rateLimits, retryPolicy, metrics, admission, controls, Signing.none());
  }

  Delivery(RelayRouter router, RateLimits rateLimits, RetryPolicy retryPolicy, DispatcherMetrics metrics,
      Admission admission, BulkControls controls, Signing signing) {
    this.signing = signing;
    this.router = router;
    this.rateLimits = rateLimits;
    this.retryPolicy = retryPolicy;
    this.metrics = metrics;
    this.admission = admission;
    this.controls = controls;
  }

  /**
   * @param transactions the job's SMTP transactions, resumed where an earlier attempt left them
   * @param attemptsMade attempts the job used before this one
   * @param bulkRate for a recipient job of a bulk send with a {@code maxRate}, that rate; else null
   * @param owned whether this instance still reads the job's partition: asked right before each
   *     send, after the wait for permits and a slot; once it says no, the attempt comes to
   *     {@link PartitionHandedOver}, unsent, for the partition's new reader to send
   */
  Future<AttemptResult> attempt(Job job, Transactions transactions, int attemptsMade, Double bulkRate,
      Ownership owned) {
    String unsignable = signing.refusal(job.tenant(), job.from().domain());
    if (unsignable != null) {
      return Future.succeededFuture(Outcome.rejected(ErrorCode.DKIM_NOT_CONFIGURED, unsignable));
    }
    if (admission.ofAttempt(job.expiresAt()) instanceof Admission.Expired expired) {
      return Future.succeededFuture(Outcome.expired(attemptsMade, expired.expiresAt()));
    }
    if (job.bulkId() != null) {
      // a recipient of a paced send may wait seconds for its turn: a cancel meanwhile is honoured
      return rateLimits.bulkPermit(BulkControl.key(job.tenant(), job.bulkId()), bulkRate)
          .compose(v -> cancelled(job) ? CANCELLED : permitsThenSend(job, transactions, attemptsMade, owned));
    }
    return permitsThenSend(job, transactions, attemptsMade, owned);
  }

  /**
   * The tenant's permit, a relay slot and the relay's permit, then the send. Ownership is asked
   * again after each wait: a job handed over while it waited for its slot must not spend a paced
   * relay permit it will not use (after a rebalance, an instance's share of the group rate went to
   * jobs of partitions it no longer read, and the group sent below its limit).
   */
  private Future<AttemptResult> permitsThenSend(Job job, Transactions transactions, int attemptsMade,
      Ownership owned) {
    Lane lane = new Lane(job.priority(), job.tenant());
    return rateLimits.tenantPermit(job.tenant())
        .compose(v -> router.acquire(lane))
        .compose(relay -> owned.stillOwned()
            ? permitThenSend(job, transactions, attemptsMade, relay, owned)
            : handedOver(relay));
  }

  /** The relay's rate permit, then the send if the job's partition is still read here after that wait. */
  private Future<AttemptResult> permitThenSend(Job job, Transactions transactions, int attemptsMade, Relay relay,
      Ownership owned) {
    return rateLimits.relayPermit(relay.name()).compose(v -> {
      if (!owned.stillOwned()) {
        return handedOver(relay);
      }
      if (cancelled(job)) {
        // its bulk send was cancelled while it waited for a relay: the slot goes back unused
        router.release(relay);
        return CANCELLED;
      }
      return send(job, transactions, attemptsMade, relay, owned);
    });
  }

  /** Whether the job is a recipient of a bulk send that was cancelled. */
  private boolean cancelled(Job job) {
    return job.bulkId() != null && controls.mode(job.tenant(), job.bulkId()) == BulkControl.Mode.CANCELLED;
  }

  /** The relay's slot given back, unused: the job's partition is not read here any more. */
  private Future<AttemptResult> handedOver(Relay relay) {
    router.release(relay);
    return HANDED_OVER;
  }

  /** Whether this instance still reads the job's partition. */
  @FunctionalInterface
  interface Ownership {
    boolean stillOwned();
  }

  private Future<AttemptResult> send(Job job, Transactions transactions, int attemptsMade, Relay relay,
      Ownership owned) {
    long started = System.nanoTime();
    return relay.send(transactions.current(), job).<AttemptResult>transform(result -> {
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
            ? attempt(job, transactions, attemptsMade, null, owned)
            : done(Outcome.sent(attemptsMade + 1, relay.name(), transactions.refusedRecipients()));
      }
      if (failure.asksToSlowDown()) {
        rateLimits.throttled(relay.name());
        metrics.slowDown(relay.name());
      }
      metrics.attempt(relay.name(), failure.kind().name().toLowerCase(Locale.ROOT), failure.smtpCode(), elapsed);
      return switch (failure.kind()) {
        case RELAY -> attempt(job, transactions, attemptsMade, null, owned);
        case PERMANENT -> refused(job, transactions, attemptsMade, relay, failure, owned);
        case TRANSIENT -> done(retryOrGiveUp(attemptsMade + 1, relay, failure));
      };
    });
  }

  private Future<AttemptResult> refused(Job job, Transactions transactions, int attemptsMade, Relay relay,
      SendFailure failure, Ownership owned) {
    if (transactions.refused(failure)) {
      return attempt(job, transactions, attemptsMade, null, owned);
    }
    return done(transactions.anyAccepted()
        ? Outcome.sent(attemptsMade + 1, relay.name(), transactions.refusedRecipients())
        : Outcome.failed(attemptsMade + 1, relay.name(), transactions.lastRefusal()));
  }

  private static Future<AttemptResult> done(Outcome outcome) {
    return Future.succeededFuture(outcome);
  }

  private Outcome retryOrGiveUp(int attemptsMade, Relay relay, SendFailure failure) {
    return retryPolicy.next(attemptsMade, ThreadLocalRandom.current())
        .map(pause -> Outcome.retrying(attemptsMade, relay.name(), failure, pause))
        .orElseGet(() -> Outcome.exhausted(attemptsMade, relay.name(), failure));
  }
}
