package io.postroom.contract.bulk;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A recipient of a bulk job that cannot be sent (bad address, missing or unusable key, duplicate
 * key); the other recipients are not affected.
 */
public record RecipientProblem(int index, String key, List<Violation> violations) implements RecipientEntry {

  public RecipientProblem {
    violations = List.copyOf(violations);
  }

  /** The first violation's code. */
  public ErrorCode code() {
    return violations.get(0).code();
  }

  /** Every violation's message, joined with "; ". */
  public String message() {
    return violations.stream().map(Violation::message).collect(Collectors.joining("; "));
  }
}
