package io.postroom.contract.compliance;

/** Why an address is suppressed. */
public enum SuppressionReason {
  /** The recipient asked (one-click unsubscribe, or the mailto). */
  UNSUBSCRIBED,
  /** A permanent delivery failure came back for the address. */
  HARD_BOUNCE,
  /** The recipient reported the mail as spam (a feedback-loop report). */
  COMPLAINT,
  /** The tenant put it there ({@code PUT /v1/suppressions}). */
  MANUAL
}
