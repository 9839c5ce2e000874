package io.postroom.contract.bulk;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.JobValidator;
import io.postroom.contract.Validation;
import io.postroom.contract.template.MailTemplate;

/**
 * Turns one recipient of a bulk job into an ordinary job: id {@code <bulk id>/<key>}, the bulk's
 * fields, the recipient's address, the template rendered with the recipient's vars, and bulkId
 * and key so that its status events name the send. The job is then validated as any job is, so
 * every job rule applies (a subject made multi-line by a variable, a message too large); a render
 * failure rejects only this recipient, with {@code RENDER_FAILED} and the variables' names.
 */
public final class RecipientJobs {
  private final JobValidator validator;

  public RecipientJobs(JobValidator validator) {
    this.validator = validator;
  }

  /**
   * The recipient's job, or why it is rejected.
   *
   * @param template the bulk job's template, resolved once for all its recipients
   *     ({@code bulk.template().resolve(registry)})
   */
  public Validation expand(BulkJob bulk, MailTemplate template, Recipient recipient) {
    return validator.render(bulk.jobJson(recipient), template, recipient.vars());
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
