package io.postroom.dispatcher.dedupe;

import io.postroom.dispatcher.kafka.RecordPosition;
import java.util.Map;

/**
 * The jobs-topic records (by position) whose terminal outcome is already on the
 * status topic. A record read again after a crash or a rebalance, before its offset was committed,
 * is found here and skipped: its one terminal event exists, and it must not get a second one, or
 * be sent again. Bounded, oldest forgotten first. Event-loop confined.
 */
public final class ReportedRecords {
  private final Map<RecordPosition, Boolean> recent;

  public ReportedRecords(int capacity) {
    this.recent = new Newest<>(capacity);
  }

  public void add(RecordPosition coordinates) {
    if (coordinates != null) {
      recent.put(coordinates, Boolean.TRUE);
    }
  }

  public boolean contains(RecordPosition coordinates) {
    return recent.containsKey(coordinates);
  }

  public int size() {
    return recent.size();
  }
}
