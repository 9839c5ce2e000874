package io.postroom.contract;

/** Where a job is in its life; each job reaches exactly one terminal state. */
public enum State {
  ACCEPTED(false),
  SENT(true),
  RETRYING(false),
  FAILED(true),
  EXPIRED(true),
  REJECTED(true),
  DUPLICATE(true),
  /** Its bulk send was cancelled before it reached the relay. */
  CANCELLED(true),
  /** Every recipient is on the tenant's suppression list. */
  SUPPRESSED(true),
  /** Follow-up of a SENT job: a delivery status notification came back for one recipient. */
  BOUNCED(false),
  /** Follow-up of a SENT job: a recipient reported it as spam (a feedback-loop report). */
  COMPLAINED(false);

  private final boolean terminal;

  State(boolean terminal) {
    this.terminal = terminal;
  }

  public boolean terminal() {
    return terminal;
  }

  /** An event after the job's terminal SENT, about what came back; never a second terminal state. */
  public boolean followUp() {
    return this == BOUNCED || this == COMPLAINED;
  }
}
