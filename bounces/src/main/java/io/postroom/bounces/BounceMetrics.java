package io.postroom.bounces;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.metrics.ComplianceMetricNames;

/** The bounce reader's meters, under the contract's names ({@link ComplianceMetricNames}; docs/metrics.md). */
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
    return Counter.builder(ComplianceMetricNames.BOUNCE_REPORTS).description("Messages of the bounce mailbox, by what became of them")
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
      Counter.builder(ComplianceMetricNames.COMPLAINTS).description("Feedback-loop complaints, by tenant")
          .tag("tenant", event.tenant()).register(registry).increment();
      return;
    }
    Counter.builder(ComplianceMetricNames.BOUNCES).description("Bounced recipients, by tenant and kind (hard, soft, policy)")
        .tag("tenant", event.tenant()).tag("kind", kind.jsonName()).register(registry).increment();
    if (kind == BounceKind.POLICY) {
      Counter.builder(ComplianceMetricNames.BOUNCE_POLICY_FAILURES)
          .description("Recipients that refused the sender for policy (DMARC, reputation, block list): never suppressed")
          .tag("tenant", event.tenant()).register(registry).increment();
    }
  }

  public void suppression(Suppression suppression) {
    Counter.builder(ComplianceMetricNames.BOUNCE_SUPPRESSIONS)
        .description("Suppressions the bounce reader published, by tenant and reason")
        .tag("tenant", suppression.tenant()).tag("reason", suppression.reason().name()).register(registry).increment();
  }
}
