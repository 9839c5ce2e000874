package io.postroom.dispatcher;

/**
 * What an attempt comes to when the job's partition was handed to another reader (a rebalance)
 * while the job waited for a rate permit or a relay slot: it is not sent here, and nothing is
 * published for it; its offset stays uncommitted, and the partition's new reader sends it.
 * Sending it here as well would deliver it twice. A value, not an error.
 */
final class PartitionHandedOver implements AttemptResult {
  static final PartitionHandedOver INSTANCE = new PartitionHandedOver();

  private PartitionHandedOver() {
  }

  @Override
  public String toString() {
    return "the job's partition was handed to another reader before the job was sent; it sends the job";
  }
}
