package io.postroom.contract;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of validating a job: the job, or everything that is wrong with it. The id and tenant
 * are filled whenever they could be read, so that even a rejected job gets a status event; so are
 * bulkId and key, for a recipient's job of a bulk send.
 */
public record Validation(Job job, String id, String tenant, List<Violation> violations, String bulkId, String key) {

  public Validation {
    violations = List.copyOf(violations);
  }

  public Validation(Job job, String id, String tenant, List<Violation> violations) {
    this(job, id, tenant, violations, null, null);
  }

  /** One thing wrong with a job that could be read otherwise, such as a recipient's render failure. */
  public static Validation rejected(String id, String tenant, String bulkId, String key, Violation violation) {
    return new Validation(null, id, tenant, List.of(violation), bulkId, key);
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
