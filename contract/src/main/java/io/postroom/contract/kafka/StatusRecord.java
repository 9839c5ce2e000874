package io.postroom.contract.kafka;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * One record of the status topic as its readers need it: where it is, the job's id (the key), the
 * {@link HeaderNames#STATE} and {@link HeaderNames#SOURCE} headers, and the event's JSON, parsed
 * only when {@link #event()} is asked for.
 *
 * @param state the state header; null when missing or not a state this version knows
 * @param source the source header ({@code topic/partition/offset} of the job record); null when missing
 * @param value the event's JSON bytes; null when the reader was made without values
 */
public record StatusRecord(int partition, long offset, String jobId, State state, String source, byte[] value) {

  /** The event, or null when there is no value or it is not a readable status event. */
  public StatusEvent event() {
    if (value == null) {
      return null;
    }
    try {
      return StatusEvent.fromJson(new JsonObject(new String(value, StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The state named by a state header's bytes, without decoding them; null for none or an unknown one. */
  static State state(byte[] header) {
    if (header == null) {
      return null;
    }
    for (State state : STATES) {
      if (ascii(state.name(), header)) {
        return state;
      }
    }
    return null;
  }

  private static final State[] STATES = State.values();

  private static boolean ascii(String name, byte[] bytes) {
    if (name.length() != bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (name.charAt(i) != bytes[i]) {
        return false;
      }
    }
    return true;
  }
}
