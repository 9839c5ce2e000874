package io.postroom.dispatcher;

import io.postroom.dispatcher.kafka.SourceRecord;
import io.vertx.core.Future;

/** What the {@link JobConsumer} hands each record it admits to: the {@link JobProcessor}; a fake in its tests. */
interface RecordProcessor {

  /**
   * @param owned whether this instance still reads the record's partition (see {@link Delivery#attempt})
   * @return {@link Processed#DURABLE} once what became of the record is durable; {@link Processed#HANDED_OVER}
   *     when its partition went to another reader before its job was sent
   */
  Future<Processed> process(SourceRecord record, Delivery.Ownership owned);

  /** Jobs in flight on their way to a lane or retry topic: bounded apart from those being worked on. */
  int moving();
}
