package io.postroom.contract;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a check found: nothing ({@link #valid()}), or violations, each reported, with the first one's
 * code as the overall code. Shared by a job's {@link Validation} and the readings of bulk jobs and
 * their recipients.
 */
public interface Checked {

  List<Violation> violations();

  default boolean valid() {
    return violations().isEmpty();
  }

  /** The first violation's code; null when valid. */
  default ErrorCode code() {
    return valid() ? null : violations().get(0).code();
  }

  /** Every violation's message, joined with "; "; null when valid. */
  default String message() {
    return valid() ? null : violations().stream().map(Violation::message).collect(Collectors.joining("; "));
  }
}
