package io.postroom.contract.bulk;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Validation;

/**
 * A recipient of a bulk job that could not be read, as a rejected job. (A usable recipient becomes
 * an ordinary templated job, {@link BulkJob#jobJson} plus the template and its vars, validated and
 * rendered when it is sent, so that every job rule applies to it.)
 */
public final class RecipientJobs {
  private RecipientJobs() {
  }

  /**
   * A recipient that could not be read, as a rejected job: with an id, and so a status event, when
   * its key could be read, except for a duplicate key, whose id belongs to the earlier recipient
   * (that job's one terminal state must not be contradicted); it is reported with the bulk send.
   */
  public static Validation rejected(BulkJob bulk, RecipientProblem problem) {
    String key = problem.key();
    boolean ownId = key != null && problem.violations().stream().noneMatch(v -> v.code() == ErrorCode.DUPLICATE_KEY);
    return new Validation(null, ownId ? bulk.jobId(key) : null, bulk.tenant(), problem.violations(), bulk.id(), key);
  }
}
