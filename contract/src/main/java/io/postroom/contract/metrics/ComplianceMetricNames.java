package io.postroom.contract.metrics;

/**
 * The metrics of mail that is welcome (DKIM, suppressions, bounces and complaints, unsubscribes),
 * by the process that registers them, as another reads them by name: the Grafana row "Mail health"
 * and the alert rules in {@code monitoring/}, and the api's dashboard (the DKIM counters it scrapes
 * from the dispatchers). Register them under these names: a rename here is a rename for both sides.
 * Their meaning is in docs/metrics.md.
 */
public final class ComplianceMetricNames {
  // ---- the dispatcher ----
  /** Counter, {@code tenant}, {@code domain}: messages sent with a DKIM signature. */
  public static final String DKIM_SIGNED = "postroom_dkim_signed_total";
  /** Counter, {@code tenant}, {@code domain}: messages sent unsigned because their From domain has no key (when the tenant allows it). */
  public static final String DKIM_UNSIGNED = "postroom_dkim_unsigned_total";
  /** Counter, {@code tenant}, {@code domain}: messages that could not be signed (key unreadable or invalid). */
  public static final String DKIM_FAILURES = "postroom_dkim_failures_total";
  /** Counter, {@code tenant}, {@code reason}: recipients left out of a send because they are suppressed. */
  public static final String SUPPRESSED_RECIPIENTS = "postroom_suppressed_recipients_total";

  // ---- the bounce reader ----
  /** Counter, {@code outcome}: reports read from the bounce mailbox, by what became of them. */
  public static final String BOUNCE_REPORTS = "postroom_bounce_reports_total";
  /** Counter, {@code tenant}, {@code kind} ({@code hard}, {@code soft}, {@code policy}): BOUNCED events published. */
  public static final String BOUNCES = "postroom_bounces_total";
  /** Counter, {@code tenant}: COMPLAINED events published (feedback-loop reports). */
  public static final String COMPLAINTS = "postroom_complaints_total";
  /** Counter, {@code tenant}: policy rejections (DMARC, reputation, blocks): the sender is refused, no recipient suppressed. */
  public static final String BOUNCE_POLICY_FAILURES = "postroom_bounce_policy_failures_total";
  /** Counter, {@code tenant}, {@code reason}: suppressions the bounce reader published. */
  public static final String BOUNCE_SUPPRESSIONS = "postroom_bounce_suppressions_total";

  // ---- the api ----
  /** Counter, {@code tenant}: one-click and confirmed unsubscribes ({@code POST /u/{token}}). */
  public static final String API_UNSUBSCRIBES = "postroom_api_unsubscribes_total";
  /** Counter: unsubscribe requests refused (a forged, altered or unreadable token). */
  public static final String API_UNSUBSCRIBE_REFUSED = "postroom_api_unsubscribe_refused_total";
  /** Counter, {@code tenant}, {@code op}: suppressions changed through {@code /v1/suppressions}. */
  public static final String API_SUPPRESSIONS_CHANGED = "postroom_api_suppressions_changed_total";

  private ComplianceMetricNames() {
  }
}
