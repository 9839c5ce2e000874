package io.postroom.contract.bulk;

import io.postroom.contract.Checked;
import io.postroom.contract.Violation;
import java.util.List;

/**
 * A recipient of a bulk job that cannot be sent (bad address, missing or unusable key, duplicate
 * key); the other recipients are not affected.
 */
public record RecipientProblem(int index, String key, List<Violation> violations) implements RecipientEntry, Checked {

  public RecipientProblem {
    violations = List.copyOf(violations);
  }
}
