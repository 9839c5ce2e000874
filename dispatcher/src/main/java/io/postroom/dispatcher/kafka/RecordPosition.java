package io.postroom.dispatcher.kafka;

import java.util.Objects;

/**
 * Where a record is: its topic, partition and offset. Written {@code topic/partition/offset} in
 * headers ({@code postroom-source}, {@code postroom-origin}) and messages; Kafka's topic names
 * cannot hold a "/".
 */
public record RecordPosition(String topic, int partition, long offset) {

  public RecordPosition {
    Objects.requireNonNull(topic, "topic");
  }

  /**
   * From its written form.
   *
   * @throws IllegalArgumentException if {@code text} is not {@code topic/partition/offset}
   */
  public static RecordPosition parse(String text) {
    int offsetAt = text.lastIndexOf('/');
    int partitionAt = offsetAt <= 0 ? -1 : text.lastIndexOf('/', offsetAt - 1);
    if (partitionAt <= 0) {
      throw new IllegalArgumentException("not topic/partition/offset: " + text);
    }
    return new RecordPosition(text.substring(0, partitionAt), Integer.parseInt(text.substring(partitionAt + 1, offsetAt)),
        Long.parseLong(text.substring(offsetAt + 1)));
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

  /** {@code topic/partition/offset}. */
  @Override
  public String toString() {
    return topic + "/" + partition + "/" + offset;
  }
}
