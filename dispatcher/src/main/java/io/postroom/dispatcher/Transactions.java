package io.postroom.dispatcher;

import io.postroom.api.Address;
import io.postroom.api.Job;
import io.postroom.dispatcher.relay.SendFailure;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a job's SMTP transactions stand: one for most jobs, one per hundred recipients for larger
 * ones. A retry resumes at the transaction that failed, so recipients already served never get
 * the message twice. Event-loop confined.
 */
final class Transactions {
  private final Job job;
  private final List<MailMessage> messages;
  private final Set<String> accepted = new HashSet<>();
  private int next;
  private SendFailure lastRefusal;

  Transactions(Job job, List<MailMessage> messages) {
    this.job = job;
    this.messages = List.copyOf(messages);
  }

  MailMessage current() {
    return messages.get(next);
  }

  /** The relay took the current transaction (for the recipients it accepted); true if more follow. */
  boolean accepted(MailResult result) {
    result.getRecipients().forEach(recipient -> accepted.add(recipient.toLowerCase(Locale.ROOT)));
    next++;
    return next < messages.size();
  }

  /**
   * The relay refused the current transaction for good. With several transactions, its recipients
   * are reported as refused and the others still go; true if more follow.
   */
  boolean refused(SendFailure failure) {
    lastRefusal = failure;
    next++;
    return messages.size() > 1 && next < messages.size();
  }

  /** Whether any recipient got the message: the job is SENT (with the refused ones listed), not FAILED. */
  boolean anyAccepted() {
    return !accepted.isEmpty();
  }

  SendFailure lastRefusal() {
    return lastRefusal;
  }

  /** Recipients the relay refused while it accepted the message for others. */
  List<String> refusedRecipients() {
    return job.recipients().stream().map(Address::email)
        .filter(email -> !accepted.contains(email.toLowerCase(Locale.ROOT)))
        .toList();
  }
}
