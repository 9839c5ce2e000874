package io.postroom.dispatcher.dedupe;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that keeps only its newest {@code capacity} entries, by insertion: the dedupe memories. */
final class Newest<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  private final int capacity;

  Newest(int capacity) {
    super(16, 0.75f, false);
    this.capacity = capacity;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
