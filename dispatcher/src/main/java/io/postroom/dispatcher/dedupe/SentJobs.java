package io.postroom.dispatcher.dedupe;

import io.postroom.dispatcher.kafka.RecordPosition;
import java.util.Map;

/**
 * The job ids the consumer group has sent, each with the position of the record that sent
 * it: a later record with the same id is a repeat and is answered with DUPLICATE instead of being
 * sent again. Bounded, oldest forgotten first; filled from the status topic by {@link StatusTail}
 * and by this dispatcher's own sends. Event-loop confined.
 */
public final class SentJobs {
  private final Map<String, RecordPosition> sentBy;

  public SentJobs(int capacity) {
    this.sentBy = new Newest<>(capacity);
  }

  /** {@code id} was sent by the record at {@code coordinates} (null when not known). */
  public void remember(String id, RecordPosition coordinates) {
    if (!sentBy.containsKey(id)) {
      sentBy.put(id, coordinates);
    }
  }

  public boolean contains(String id) {
    return sentBy.containsKey(id);
  }

  /** The record that sent {@code id}; null when {@code id} was not sent, or that record is not known. */
  public RecordPosition sentBy(String id) {
    return sentBy.get(id);
  }

  public int size() {
    return sentBy.size();
  }
}
