package io.postroom.api.suppressions;

import io.postroom.contract.compliance.Suppression;
import io.vertx.core.Future;

/** Where suppressions are written: {@code mail.suppressions} (durably, {@code acks=all}), or a test's list. */
public interface SuppressionLog {
  /** Where a record went, to wait until the view has read it back. */
  record Written(int partition, long offset) {
  }

  /** Writes the suppression under its key. */
  Future<Written> put(Suppression suppression);

  /** Writes a tombstone under the key: the suppression is lifted. */
  Future<Written> lift(String key);
}
