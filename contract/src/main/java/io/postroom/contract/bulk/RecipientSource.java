package io.postroom.contract.bulk;

import java.util.Iterator;

/**
 * The recipients of a bulk job, one at a time, so that a million of them are never held in memory
 * at once: read from a bulk job's JSON array ({@link BulkReading#recipients()}), or later from a
 * CSV upload. Close it when done, also when stopping early.
 */
public interface RecipientSource extends Iterator<RecipientEntry>, AutoCloseable {

  @Override
  void close();
}
