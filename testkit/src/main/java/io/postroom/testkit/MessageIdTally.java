package io.postroom.testkit;

/**
 * Counts Message-IDs and how many of them were seen before, in 8 bytes per distinct id: a relay
 * taking millions of messages in a load test keeps a 64-bit hash of each id, not the id. Two ids
 * of a million share a hash with a probability of about 3 in 100 million. Thread-safe.
 */
public final class MessageIdTally {
  private static final int INITIAL_CAPACITY = 1 << 16;

  private long[] slots = new long[INITIAL_CAPACITY];
  private int distinct;
  private long repeated;

  /** Counts {@code messageId}; true if it was not seen before. */
  public synchronized boolean add(String messageId) {
    long hash = hash(messageId);
    if (distinct * 2 >= slots.length) {
      grow();
    }
    if (insert(slots, hash)) {
      distinct++;
      return true;
    }
    repeated++;
    return false;
  }

  /** How many different ids were counted. */
  public synchronized int distinct() {
    return distinct;
  }

  /** How many ids were counted again after their first time: duplicates. */
  public synchronized long repeated() {
    return repeated;
  }

  public synchronized void clear() {
    slots = new long[INITIAL_CAPACITY];
    distinct = 0;
    repeated = 0;
  }

  private void grow() {
    long[] larger = new long[slots.length * 2];
    for (long hash : slots) {
      if (hash != 0) {
        insert(larger, hash);
      }
    }
    slots = larger;
  }

  private static boolean insert(long[] table, long hash) {
    int mask = table.length - 1;
    for (int i = (int) (hash ^ (hash >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (table[i] == 0) {
        table[i] = hash;
        return true;
      }
      if (table[i] == hash) {
        return false;
      }
    }
  }

  /** FNV-1a over the characters, then MurmurHash3's finaliser; never 0, which marks a free slot. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
