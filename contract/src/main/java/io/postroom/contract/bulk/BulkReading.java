package io.postroom.contract.bulk;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A bulk job as read: its own fields (or everything wrong with them) and the number of recipients,
 * and a way to read the recipients one at a time. The id and tenant are filled whenever they could
 * be read, so that even a rejected bulk job can be reported.
 *
 * @param recipientCount how many entries the recipients array has, usable or not
 */
public record BulkReading(BulkJob job, String id, String tenant, List<Violation> violations, int recipientCount,
    BulkJobReader.Input input) {

  public BulkReading {
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

  /**
   * The recipients, read from the input again as they are asked for: one recipient's JSON in
   * memory at a time, whatever their number. Only for a valid bulk job.
   */
  public RecipientSource recipients() {
    if (!valid()) {
      throw new IllegalStateException("bulk job " + id + " is invalid, so its recipients are not read: " + message());
    }
    return BulkJobReader.recipients(input, new RecipientCheck(id));
  }
}
