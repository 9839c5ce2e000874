package io.postroom.contract.bulk;

import io.postroom.contract.Checked;
import io.postroom.contract.Violation;
import java.util.List;

/**
 * A bulk job as read: its own fields (or everything wrong with them) and the number of recipients,
 * and a way to read the recipients one at a time. The id and tenant are filled whenever they could
 * be read, so that even a rejected bulk job can be reported.
 *
 * @param recipientCount how many entries the recipients array has, usable or not
 */
public record BulkReading(BulkJob job, String id, String tenant, List<Violation> violations, int recipientCount,
    BulkJobReader.Input input) implements Checked {

  public BulkReading {
    violations = List.copyOf(violations);
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
