package io.postroom.contract.bulk;

/**
 * The keys seen so far in one bulk job, to report a key that comes again. Holds a 64-bit hash per
 * key, not the key: 8 to 16 bytes a recipient, where a set of strings would hold the whole list.
 * Two different keys with the same hash would make the second look like a duplicate; for a
 * million keys the chance of that happening at all is about 3 in 100 million.
 */
final class DuplicateKeys {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /** Open addressing; 0 marks a free slot. */
  private long[] table = new long[1 << 10];
  private int size;

  /** True the first time a key is offered, false every time after. */
  boolean firstTime(String key) {
    if ((size + 1) * 2 > table.length) {
      grow();
    }
    long hash = hash(key);
    int slot = find(table, hash);
    if (table[slot] == hash) {
      return false;
    }
    table[slot] = hash;
    size++;
    return true;
  }

  private static int find(long[] table, long hash) {
    int mask = table.length - 1;
    int slot = (int) (hash ^ (hash >>> 32)) & mask;
    while (table[slot] != 0 && table[slot] != hash) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] larger = new long[table.length * 2];
    for (long hash : table) {
      if (hash != 0) {
        larger[find(larger, hash)] = hash;
      }
    }
    table = larger;
  }

  /** FNV-1a over the UTF-16 code units, never 0. */
  private static long hash(String key) {
    long hash = FNV_OFFSET;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      hash = (hash ^ (c & 0xff)) * FNV_PRIME;
      hash = (hash ^ (c >>> 8)) * FNV_PRIME;
    }
    return hash == 0 ? 1 : hash;
  }
}
