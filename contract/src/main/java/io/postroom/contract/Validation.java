package io.postroom.contract;

import java.util.List;

/**
 * The result of validating a job: the job, or everything that is wrong with it. The id and tenant
 * are filled whenever they could be read, so that even a rejected job gets a status event; so are
 * bulkId and key, for a recipient's job of a bulk send.
 */
public record Validation(Job job, String id, String tenant, List<Violation> violations, String bulkId, String key)
    implements Checked {

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
}
