package io.postroom.dispatcher.kafka;

import java.util.Objects;

/**
 * Where a record is: its topic, partition and offset, and for one recipient of a bulk record,
 * which one ({@code recipient}, from 0; -1 for the record itself). Written
 * {@code topic/partition/offset} or {@code topic/partition/offset/recipient} in headers
 * ({@code postroom-source}, {@code postroom-origin}) and messages; Kafka's topic names cannot hold
 * a "/".
 *
 * <p>A recipient's position is its job's first position: the job of each recipient of a bulk
 * record is known by it, in its status events and dedupe, as a single job is by its record's, so a
 * bulk record expanded twice (a crash before its offset was committed) writes the same positions,
 * and each recipient's second copy is skipped like any redelivery.
 */
public record RecordPosition(String topic, int partition, long offset, int recipient) {

  public RecordPosition {
    Objects.requireNonNull(topic, "topic");
    if (recipient < -1) {
      throw new IllegalArgumentException("a recipient's position is 0 or more (-1: the record itself), got " + recipient);
    }
  }

  /** A whole record's position. */
  public RecordPosition(String topic, int partition, long offset) {
    this(topic, partition, offset, -1);
  }

  /** The position of recipient {@code index} (from 0) of the bulk record at this position. */
  public RecordPosition recipient(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("a recipient's index is 0 or more, got " + index);
    }
    return new RecordPosition(topic, partition, offset, index);
  }

  /**
   * From its written form.
   *
   * @throws IllegalArgumentException if {@code text} is not {@code topic/partition/offset[/recipient]}
   */
  public static RecordPosition parse(String text) {
    String[] parts = text.split("/", -1);
    if ((parts.length != 3 && parts.length != 4) || parts[0].isEmpty()) {
      throw new IllegalArgumentException("not topic/partition/offset[/recipient]: " + text);
    }
    return new RecordPosition(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
        parts.length == 4 ? Integer.parseInt(parts[3]) : -1);
  }

  /** {@link #parse}, or null for a text that is missing or not a position. */
  public static RecordPosition parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code topic/partition/offset}, and {@code /recipient} for a recipient of a bulk record. */
  @Override
  public String toString() {
    String record = topic + "/" + partition + "/" + offset;
    return recipient < 0 ? record : record + "/" + recipient;
  }
}
