package io.postroom.dispatcher.dedupe;

import java.util.Map;

/**
 * The job ids the consumer group has sent, each with the record ("topic/partition/offset") that sent
 * it: a later record with the same id is a repeat and is answered with DUPLICATE instead of being
 * sent again. Bounded, oldest forgotten first; filled from the status topic by {@link StatusTail}
 * and by this dispatcher's own sends. Event-loop confined.
 */
public final class SentJobs {
  private final Map<String, String> sentBy;

  public SentJobs(int capacity) {
    this.sentBy = new Newest<>(capacity);
  }

  /** {@code id} was sent by the record at {@code coordinates} (null when not known). */
  public void remember(String id, String coordinates) {
    sentBy.putIfAbsent(id, coordinates == null ? "" : coordinates);
  }

  public boolean contains(String id) {
    return sentBy.containsKey(id);
  }

  /** The record that sent {@code id}, "" when not known, null when {@code id} was not sent. */
  public String sentBy(String id) {
    return sentBy.get(id);
  }

  public int size() {
    return sentBy.size();
  }
}
