package io.postroom.dispatcher;

/** What became of a record the consumer handed to the {@link JobProcessor}. */
enum Processed {
  /**
   * What became of it is durable in Kafka (a terminal status event and dead letter, or its job's
   * copy on the topic it waits in), or was already: its offset may be committed.
   */
  DURABLE,
  /** Its partition went to another reader before its job was sent ({@link PartitionHandedOver}): not committed here. */
  HANDED_OVER
}
