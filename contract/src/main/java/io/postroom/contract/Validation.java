package io.postroom.contract;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of validating a job: the job, or everything that is wrong with it. The id and tenant
 * are filled whenever they could be read, so that even a rejected job gets a status event.
 */
public record Validation(Job job, String id, String tenant, List<Violation> violations) {

  public Validation {
    violations = List.copyOf(violations);
  }

  public boolean valid() {
    return violations.isEmpty();
  }

  /** The first violation's code; null when valid. */
  public ErrorCode code() {
    return valid() ? null : violations.get(0).code();
  }

  /** Every violation's message, joined with "; "; null when valid. */
  public String message() {
    return valid() ? null : violations.stream().map(Violation::message).collect(Collectors.joining("; "));
  }
}
