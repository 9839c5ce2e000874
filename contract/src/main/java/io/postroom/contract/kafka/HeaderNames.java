package io.postroom.contract.kafka;

/**
 * The names of the Kafka record headers Postroom writes, for every writer and reader (dispatcher,
 * api, redrive, test kit, bench): one spelling each. Values are UTF-8 text.
 */
public final class HeaderNames {
  /** On status events: the state, so that readers such as the dispatcher's status tail need not parse the JSON. */
  public static final String STATE = "postroom-state";
  /** On status events: {@code topic/partition/offset} of the job record, to tell a redelivery from a repeat. */
  public static final String SOURCE = "postroom-source";

  /** On dead letters: why, in a sentence a person can act on. */
  public static final String ERROR = "postroom-error";
  /** On dead letters: the stable code ({@code ErrorCode}). */
  public static final String ERROR_CODE = "postroom-error-code";
  /** On dead letters, when the job's id could be read: its REJECTED, FAILED or EXPIRED status event has the same id. */
  public static final String JOB_ID = "postroom-job-id";
  /** On dead letters: where the dead-lettered record was. */
  public static final String SOURCE_TOPIC = "postroom-source-topic";
  public static final String SOURCE_PARTITION = "postroom-source-partition";
  public static final String SOURCE_OFFSET = "postroom-source-offset";

  /** On a re-driven job record: {@code topic/partition/offset} of the dead letter it was copied from. */
  public static final String REDRIVEN_FROM = "postroom-redriven-from";

  /** On copies of waiting jobs (retry tiers, lanes) and dead letters: the job record's first position. */
  public static final String ORIGIN = "postroom-origin";
  /** On copies of waiting jobs: the job record's first timestamp. */
  public static final String ORIGIN_TIMESTAMP = "postroom-origin-timestamp";
  /** On copies of waiting jobs: the attempts made so far. */
  public static final String ATTEMPTS = "postroom-attempts";
  /** On copies of waiting jobs: when the job is due again (ISO-8601). */
  public static final String DUE = "postroom-due";
  /** On copies of waiting jobs: how far a partly delivered job got. */
  public static final String PROGRESS = "postroom-progress";
  /** On copies of waiting jobs: the job's tenant, for lane fairness without parsing the job. */
  public static final String TENANT = "postroom-tenant";

  private HeaderNames() {
  }
}
