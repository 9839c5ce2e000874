package io.postroom.dispatcher;

import io.postroom.contract.Address;
import io.postroom.contract.Job;
import io.postroom.dispatcher.mail.MessageComposer;
import io.postroom.dispatcher.relay.SendFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a job's SMTP transactions stand: one for most jobs, one per hundred recipients for larger
 * ones. A retry resumes at the transaction that failed, so recipients already served never get
 * the message twice; between attempts the job waits on a retry topic, and its {@link #progress()}
 * travels with it. Event-loop confined.
 */
final class Transactions {
  private final Job job;
  private final List<MailMessage> messages;
  /** Recipients left out of every envelope (suppressed), lower-cased. */
  private final Set<String> leftOut;
  private final List<String> refused = new ArrayList<>();
  private boolean anyAccepted;
  private int next;
  private SendFailure lastRefusal;

  Transactions(Job job, List<MailMessage> messages) {
    this(job, messages, null);
  }

  /** @param progress what {@link #progress()} said after an earlier attempt, or null for a first one */
  Transactions(Job job, List<MailMessage> messages, String progress) {
    this(job, messages, progress, Set.of());
  }

  /**
   * @param leftOut recipients left out of the envelopes ({@link MessageComposer#transactions(Job, String, Set)}):
   *     a transaction whose recipients are all left out is skipped; at least one must remain
   */
  Transactions(Job job, List<MailMessage> messages, String progress, Set<String> leftOut) {
    this.job = job;
    this.messages = List.copyOf(messages);
    this.leftOut = Set.copyOf(leftOut);
    if (progress != null) {
      JsonObject saved = new JsonObject(progress);
      next = Math.min(saved.getInteger("next", 0), this.messages.size() - 1);
      anyAccepted = saved.getBoolean("anyAccepted", false);
      saved.getJsonArray("refused", new JsonArray()).forEach(email -> refused.add(String.valueOf(email)));
    }
    skipEmpty();
    if (next >= this.messages.size()) {
      throw new IllegalArgumentException("every recipient of job " + job.id() + " is left out: nothing to send");
    }
  }

  /** Moves past transactions whose every recipient is left out. */
  private void skipEmpty() {
    while (!leftOut.isEmpty() && next < messages.size() && currentRecipients().isEmpty()) {
      next++;
    }
  }
  MailMessage current() {
    return messages.get(next);
  }

  /** The relay took the current transaction (for the recipients it accepted); true if more follow. */
  boolean accepted(MailResult result) {
    Set<String> accepted = new HashSet<>();
    result.getRecipients().forEach(recipient -> accepted.add(recipient.toLowerCase(Locale.ROOT)));
    anyAccepted |= !accepted.isEmpty();
    currentRecipients().stream().filter(email -> !accepted.contains(email.toLowerCase(Locale.ROOT)))
        .forEach(refused::add);
    next++;
    skipEmpty();
    return next < messages.size();
  }

  /**
   * The relay refused the current transaction for good. With several transactions, its recipients
   * are reported as refused and the others still go; true if more follow.
   */
  boolean refused(SendFailure failure) {
    lastRefusal = failure;
    refused.addAll(currentRecipients());
    next++;
    skipEmpty();
    return messages.size() > 1 && next < messages.size();
  }

  /** Whether any recipient got the message: the job is SENT (with the refused ones listed), not FAILED. */
  boolean anyAccepted() {
    return anyAccepted;
  }

  SendFailure lastRefusal() {
    return lastRefusal;
  }

  /** Recipients the relay refused while it accepted the message for others. */
  List<String> refusedRecipients() {
    return List.copyOf(refused);
  }

  /** How far the job got, for the next attempt: the transaction to resume at, and what is known so far. */
  String progress() {
    return new JsonObject().put("next", next).put("anyAccepted", anyAccepted).put("refused", new JsonArray(refused))
        .encode();
  }

  /** The envelope recipients of the current transaction, as {@link MessageComposer#transactions} split them. */
  private List<String> currentRecipients() {
    List<Address> recipients = job.recipients();
    if (messages.size() == 1) {
      return recipients.stream().filter(r -> !MessageComposer.isLeftOut(r, leftOut)).map(Address::email).toList();
    }
    int from = next * MessageComposer.MAX_RECIPIENTS;
    return recipients.subList(Math.min(from, recipients.size()),
            Math.min(recipients.size(), from + MessageComposer.MAX_RECIPIENTS))
        .stream().filter(r -> !MessageComposer.isLeftOut(r, leftOut)).map(Address::email).toList();
  }
}
