package io.postroom.bounces;

import io.postroom.bounces.report.Recipient;
import io.postroom.bounces.report.Report;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.contract.compliance.BounceToken;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.compliance.UnsubscribeToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Decides what a read {@link Report} leads to: which job it is about, which follow-up events and
 * suppressions to publish, or why it goes aside. No I/O of its own: the sent index and the
 * soft-bounce history are handed in, so that every rule is tested without a mailbox or a broker.
 *
 * <p>Which job: a bounce comes back to the VERP envelope sender ({@link BounceToken}); the first of
 * the report's envelope addresses that is a VERP address names the mail's {@code ref}, and only if
 * its MAC verifies: a VERP-shaped address that does not is {@code forged} and suppresses nothing. A
 * complaint is usually addressed to the feedback-loop mailbox instead: then the original mail's
 * Message-ID names the ref. The sent index maps the ref to the mail's {@code SENT} event.
 */
public final class ReportTriage {
  private final TokenKeys keys;
  private final Function<String, Optional<StatusEvent>> sentIndex;
  private final BiFunction<String, String, List<Instant>> softHistory;
  private final Duration unknownGrace;
  private final int softBounceLimit;
  private final Duration softBounceWindow;
  /** Soft bounces decided in this batch but not yet committed: the next report of the batch sees them. */
  private final Map<String, List<Instant>> pendingSoft = new HashMap<>();

  /**
   * @param sentIndex the SENT event of a ref
   * @param softHistory the committed soft-bounce times of (tenant, address)
   */
  public ReportTriage(TokenKeys keys, Function<String, Optional<StatusEvent>> sentIndex,
      BiFunction<String, String, List<Instant>> softHistory, Duration unknownGrace, int softBounceLimit,
      Duration softBounceWindow) {
    this.keys = keys;
    this.sentIndex = sentIndex;
    this.softHistory = softHistory;
    this.unknownGrace = unknownGrace;
    this.softBounceLimit = softBounceLimit;
    this.softBounceWindow = softBounceWindow;
  }

  /** Starts a new batch: what earlier batches decided is committed by now. */
  public void newBatch() {
    pendingSoft.clear();
  }

  /**
   * @param receivedAt when the mailbox received the report (IMAP INTERNALDATE), for the grace of unknown refs
   * @param now the time of the events and suppressions
   */
  public Verdict decide(Report report, Instant receivedAt, Instant now) {
    if (report instanceof Report.DeliveryReport delivery) {
      return delivery(delivery, receivedAt, now);
    }
    if (report instanceof Report.Complaint complaint) {
      return complaint(complaint, receivedAt, now);
    }
    if (report instanceof Report.Unsubscribe unsubscribe) {
      return unsubscribe(unsubscribe, now);
    }
    return new Verdict.Aside("unparseable", ((Report.Unreadable) report).why());
  }

  private Verdict delivery(Report.DeliveryReport report, Instant receivedAt, Instant now) {
    Ref ref = verpRef(report.envelopeAddresses());
    if (ref.forged() != null) {
      return new Verdict.Aside("forged", "the VERP address " + ref.forged() + " was not made with our token keys");
    }
    if (ref.value() == null) {
      return new Verdict.Aside("unknown-message", "no VERP address (bounces+...) among Delivered-To, X-Original-To "
          + "and X-Postfix-Sender: not a bounce of a Postroom mail");
    }
    Optional<StatusEvent> sent = sentIndex.apply(ref.value());
    if (sent.isEmpty()) {
      return unknown(ref.value(), receivedAt, now);
    }
    List<StatusEvent> events = new ArrayList<>();
    List<Suppression> suppressions = new ArrayList<>();
    Map<String, List<Instant>> soft = new HashMap<>();
    for (Recipient recipient : report.recipients()) {
      String address;
      try {
        address = Suppression.normalise(recipient.address());
      } catch (IllegalArgumentException e) {
        return new Verdict.Aside("unparseable", "the recipient '" + recipient.address() + "' is not an address");
      }
      StatusEvent job = sent.get();
      events.add(StatusEvent.followUp(job, address, recipient.kind(), recipient.smtpCode(), recipient.statusCode(),
          recipient.text(), now));
      switch (recipient.kind()) {
        case HARD -> suppressions.add(new Suppression(job.tenant(), address, Suppression.ANY_STREAM,
            SuppressionReason.HARD_BOUNCE, now, "bounce:" + job.id()));
        case SOFT -> soft(job, address, now, soft, suppressions);
        default -> {
          // POLICY: the sender was refused, not the address; counted, never suppressed
        }
      }
    }
    return new Verdict.Publish("bounce", events, suppressions, soft);
  }

  /** Counts a soft bounce; the {@code softBounceLimit}-th within the window suppresses, and the count starts again. */
  private void soft(StatusEvent job, String address, Instant now, Map<String, List<Instant>> soft,
      List<Suppression> suppressions) {
    String key = job.tenant() + "|" + address;
    List<Instant> times = new ArrayList<>(soft.containsKey(key) ? soft.get(key)
        : pendingSoft.containsKey(key) ? pendingSoft.get(key) : softHistory.apply(job.tenant(), address));
    Instant from = now.minus(softBounceWindow);
    times.removeIf(t -> t.isBefore(from));
    times.add(now);
    if (times.size() >= softBounceLimit) {
      suppressions.add(new Suppression(job.tenant(), address, Suppression.ANY_STREAM, SuppressionReason.HARD_BOUNCE,
          now, "soft-bounces:" + times.size()));
      times.clear();
    }
    soft.put(key, List.copyOf(times));
    pendingSoft.put(key, List.copyOf(times));
  }

  private Verdict complaint(Report.Complaint report, Instant receivedAt, Instant now) {
    Ref verp = verpRef(report.envelopeAddresses());
    if (verp.forged() != null) {
      return new Verdict.Aside("forged", "the VERP address " + verp.forged() + " was not made with our token keys");
    }
    Optional<String> original = BounceToken.messageRef(report.originalMessageId());
    if (verp.value() != null && original.isPresent() && !verp.value().equals(original.get())) {
      return new Verdict.Aside("forged", "the VERP address names another mail than the original Message-ID "
          + report.originalMessageId());
    }
    String ref = verp.value() != null ? verp.value() : original.orElse(null);
    if (ref == null) {
      return new Verdict.Aside("unknown-message", "the complained-about message " + report.originalMessageId()
          + " is not a Postroom mail");
    }
    if (report.recipient() == null) {
      return new Verdict.Aside("unparseable", "the complaint names no recipient (no Original-Rcpt-To, no To in the "
          + "original headers)");
    }
    Optional<StatusEvent> sent = sentIndex.apply(ref);
    if (sent.isEmpty()) {
      return unknown(ref, receivedAt, now);
    }
    String address;
    try {
      address = Suppression.normalise(report.recipient());
    } catch (IllegalArgumentException e) {
      return new Verdict.Aside("unparseable", "the complaint's recipient '" + report.recipient() + "' is not an address");
    }
    StatusEvent job = sent.get();
    StatusEvent event = StatusEvent.followUp(job, address, BounceKind.COMPLAINT, null, null,
        "feedback report: " + report.feedbackType(), now);
    Suppression suppression = new Suppression(job.tenant(), address, Suppression.ANY_STREAM,
        SuppressionReason.COMPLAINT, now, "complaint:" + job.id());
    return new Verdict.Publish("complaint", List.of(event), List.of(suppression), Map.of());
  }

  private Verdict unsubscribe(Report.Unsubscribe report, Instant now) {
    return UnsubscribeToken.open(keys, report.token())
        .<Verdict>map(token -> new Verdict.Publish("unsubscribe", List.of(),
            List.of(token.suppression(now, "mailto")), Map.of()))
        .orElseGet(() -> new Verdict.Aside("forged", "the unsubscribe token in the subject was not made with our "
            + "token keys"));
  }

  private Verdict unknown(String ref, Instant receivedAt, Instant now) {
    if (receivedAt != null && receivedAt.plus(unknownGrace).isBefore(now)) {
      return new Verdict.Aside("unknown-message", "no SENT event of the mail " + ref + " on the status topic within "
          + unknownGrace.toMinutes() + " min (bounces.unknownGrace) of the report's arrival");
    }
    return new Verdict.Later("the mail " + ref + " is not in the sent index yet");
  }

  /** The ref of the first VERP address; or the first VERP-shaped address that does not verify. */
  private Ref verpRef(List<String> addresses) {
    String forged = null;
    for (String address : addresses) {
      if (!address.toLowerCase(Locale.ROOT).startsWith(BounceToken.LOCAL_PREFIX)) {
        continue;
      }
      Optional<String> ref = BounceToken.read(keys, address);
      if (ref.isPresent()) {
        return new Ref(ref.get(), null);
      }
      if (forged == null) {
        forged = address;
      }
    }
    return new Ref(null, forged);
  }

  private record Ref(String value, String forged) {
  }
}
