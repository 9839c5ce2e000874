package io.postroom.dispatcher.redrive;

/**
 * Kafka failed during a re-drive. Carries what was acknowledged until then: those jobs are back in
 * the jobs topic, and running the re-drive again re-drives them once more (sent ones are then
 * answered DUPLICATE).
 */
public final class RedriveException extends RuntimeException {
  private final transient RedriveReport acknowledged;

  public RedriveException(String message, Throwable cause, RedriveReport acknowledged) {
    super(message, cause);
    this.acknowledged = acknowledged;
  }

  public RedriveReport acknowledged() {
    return acknowledged;
  }
}
