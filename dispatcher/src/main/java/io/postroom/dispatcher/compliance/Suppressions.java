package io.postroom.dispatcher.compliance;

import io.postroom.contract.Job;
import io.postroom.contract.compliance.SuppressionReason;
import java.util.List;

/** Which of a job's recipients its tenant suppressed: asked for each job before it goes to a relay. */
@FunctionalInterface
public interface Suppressions {
  /** Nobody is suppressed (no list configured, or a test that is not about suppressions). */
  Suppressions NONE = job -> List.of();

  /** One suppressed recipient of a job: its address (lower-cased) and why. */
  record Suppressed(String address, SuppressionReason reason) {
  }

  /** The job's recipients on its tenant's list for every stream or for the job's stream, in the job's order, each once. */
  List<Suppressed> of(Job job);
}
