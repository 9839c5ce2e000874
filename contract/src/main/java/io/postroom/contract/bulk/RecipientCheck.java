package io.postroom.contract.bulk;

import io.postroom.contract.Address;
import io.postroom.contract.ErrorCode;
import io.postroom.contract.JobFields;
import io.postroom.contract.Reading;
import io.postroom.contract.template.TemplateFields;
import io.postroom.contract.template.TemplateVars;
import io.vertx.core.json.JsonObject;

/**
 * Checks the recipients of one bulk job, one at a time and in order: a key that makes a good job id
 * and comes only once, an address as a job's {@code to} takes it, and vars as a templated job's.
 * Whatever reads the recipients (the JSON array, later a CSV upload) hands each one here.
 */
public final class RecipientCheck {
  private final String bulkId;
  private final int maxKey;
  private final DuplicateKeys keys = new DuplicateKeys();

  /** For the recipients of {@code bulkId}; null when the bulk job's id is unusable (its recipients are checked anyway). */
  public RecipientCheck(String bulkId) {
    this.bulkId = bulkId;
    this.maxKey = JobFields.MAX_ID - 1 - (bulkId == null ? BulkJobReader.MAX_BULK_ID : bulkId.length());
  }

  /**
   * The recipient at {@code index}, given as {@code {"key": …, "to": …, "vars": {…}}}.
   *
   * @param where how violations name the recipient: {@code recipients[3]}, or a CSV reader's {@code line 5}
   */
  public RecipientEntry entry(int index, String where, JsonObject recipient) {
    Reading reading = new Reading(recipient, where + ".");
    String key = key(reading);
    String toText = reading.requiredText("to", "give the recipient's address, e.g. \"asha@example.org\"");
    Address to = toText == null ? null : JobFields.address(reading, "to", toText);
    TemplateVars vars = TemplateFields.vars(reading);
    if (key != null && !keys.firstTime(key)) {
      reading.add(ErrorCode.DUPLICATE_KEY, "key", "key " + Reading.quoted(key) + " was given to an earlier recipient"
          + " of this bulk job; only the first is sent: give every recipient its own key");
    }
    return reading.violations().isEmpty()
        ? new Recipient(index, key, to, vars)
        : new RecipientProblem(index, key, reading.violations());
  }

  /** The key if it makes a job id, {@code <bulk id>/<key>}, else null. */
  private String key(Reading reading) {
    String key = reading.requiredText("key", "give each recipient a key unique in the bulk job, e.g. a customer number");
    if (key == null) {
      return null;
    }
    if (key.length() > maxKey) {
      reading.add(ErrorCode.INVALID_FIELD, "key", reading.path("key") + " is " + key.length() + " characters long;"
          + " at most " + maxKey + " are allowed, so that the job id " + (bulkId == null ? "<bulk id>" : bulkId)
          + "/<key> stays within " + JobFields.MAX_ID);
      return null;
    }
    if (JobFields.hasControlCharacters(key)) {
      reading.add(ErrorCode.INVALID_FIELD, "key", reading.path("key") + " " + Reading.quoted(key)
          + " must not contain control characters");
      return null;
    }
    return key;
  }
}
