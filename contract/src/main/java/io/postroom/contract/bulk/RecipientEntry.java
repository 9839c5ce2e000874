package io.postroom.contract.bulk;

/** One recipient as read from a bulk job: usable ({@link Recipient}) or not ({@link RecipientProblem}). */
public sealed interface RecipientEntry permits Recipient, RecipientProblem {

  /** The recipient's position in its list, from 0 (a CSV reader maps it to a line number). */
  int index();

  /** The key if it could be read, else null. */
  String key();
}
