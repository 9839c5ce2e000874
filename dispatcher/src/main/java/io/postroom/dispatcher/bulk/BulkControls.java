package io.postroom.dispatcher.bulk;

import io.postroom.contract.bulk.BulkControl;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each bulk send was last asked to be (running, paused, cancelled), as read from
 * {@code mail.bulk.control} by the process (fed record by record through {@link #apply}): the
 * {@code JobProcessor} asks it for each recipient job before handing it to the relay. One entry
 * per send that was ever paused or cancelled, never per recipient. Thread-safe: applied on the
 * reader's thread, asked on the event loops.
 */
public final class BulkControls {
  private final Map<String, BulkControl.Mode> modes = new ConcurrentHashMap<>();

  /**
   * One record of the control topic; a tombstone (null value) forgets the send, a record that is
   * not a control, or is filed under another send's key, is skipped.
   *
   * @return null, or why the record was skipped (for the reader's log)
   */
  public String apply(String key, byte[] value) {
    if (value == null) {
      modes.remove(key);
      return null;
    }
    BulkControl control = BulkControl.fromJson(value).orElse(null);
    if (control == null) {
      return "record " + key + " of the bulk control topic is not a control record; skipped";
    }
    if (!control.key().equals(key)) {
      return "record " + key + " of the bulk control topic is about " + control.key() + "; skipped";
    }
    modes.put(key, control.mode());
    return null;
  }

  /** What the tenant's send is asked to be: RUNNING when nobody asked anything. */
  public BulkControl.Mode mode(String tenant, String bulkId) {
    return modes.getOrDefault(BulkControl.key(tenant, bulkId), BulkControl.Mode.RUNNING);
  }
}
