package io.postroom.dispatcher.redrive;

import io.postroom.contract.ErrorCode;
import java.time.Instant;
import java.util.Set;

/**
 * Which dead letters to re-drive: those with one of {@code codes} (any code when empty) whose
 * record timestamp, the time they were dead-lettered, is in [{@code since}, {@code until}) (an
 * absent end is open). A dry run selects the same letters and publishes none of them.
 */
public record RedriveRequest(Set<ErrorCode> codes, Instant since, Instant until, boolean dryRun) {

  public RedriveRequest {
    codes = Set.copyOf(codes);
    if (since != null && until != null && !until.isAfter(since)) {
      throw new IllegalArgumentException("until " + until + " is not later than since " + since);
    }
  }

  /** {@code code} is the letter's {@code postroom-error-code} (null if it has none); {@code at} its timestamp. */
  public boolean selects(String code, Instant at) {
    return matchesCode(code) && !(since != null && at.isBefore(since)) && !(until != null && !at.isBefore(until));
  }

  private boolean matchesCode(String code) {
    if (codes.isEmpty()) {
      return true;
    }
    return code != null && codes.stream().anyMatch(c -> c.name().equals(code));
  }
}
