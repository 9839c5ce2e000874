package io.postroom.bounces;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.contract.compliance.Suppression;

/** The bounce reader's meters (docs/metrics.md). */
public final class BounceMetrics {
  private final MeterRegistry registry;

  /** Every outcome, registered at zero: the series exist (and alerts on their absence hold) before the first report. */
  static final String[] OUTCOMES = {"bounce", "complaint", "unsubscribe", "unparseable", "forged", "unknown-message",
      "later"};

  public BounceMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (String outcome : OUTCOMES) {
      reports(outcome);
    }
  }

  private Counter reports(String outcome) {
    return Counter.builder("postroom_bounce_reports_total").description("Messages of the bounce mailbox, by what became of them")
        .tag("outcome", outcome).register(registry);
  }

  /** One message of the mailbox handled: bounce, complaint, unsubscribe, unparseable, forged, unknown-message, later. */
  public void report(String outcome) {
    reports(outcome).increment();
  }

  /** A published follow-up event. */
  public void followUp(StatusEvent event) {
    BounceKind kind = event.followUp().kind();
    if (kind == BounceKind.COMPLAINT) {
      Counter.builder("postroom_complaints_total").description("Feedback-loop complaints, by tenant")
          .tag("tenant", event.tenant()).register(registry).increment();
      return;
    }
    Counter.builder("postroom_bounces_total").description("Bounced recipients, by tenant and kind (hard, soft, policy)")
        .tag("tenant", event.tenant()).tag("kind", kind.jsonName()).register(registry).increment();
    if (kind == BounceKind.POLICY) {
      Counter.builder("postroom_bounce_policy_failures_total")
          .description("Recipients that refused the sender for policy (DMARC, reputation, block list): never suppressed")
          .tag("tenant", event.tenant()).register(registry).increment();
    }
  }

  public void suppression(Suppression suppression) {
    Counter.builder("postroom_bounce_suppressions_total")
        .description("Suppressions the bounce reader published, by tenant and reason")
        .tag("tenant", suppression.tenant()).tag("reason", suppression.reason().name()).register(registry).increment();
  }
}
