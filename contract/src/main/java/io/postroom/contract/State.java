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
  SUPPRESSED(true);

  private final boolean terminal;

  State(boolean terminal) {
    this.terminal = terminal;
  }

  public boolean terminal() {
    return terminal;
  }
}
