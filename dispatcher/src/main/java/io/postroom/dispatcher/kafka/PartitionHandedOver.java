package io.postroom.dispatcher.kafka;

/**
 * A job was not sent because its partition was revoked while it waited for a relay: the
 * partition's new reader sends it, from the last committed offset. Sending it here as well would
 * deliver it twice. Carries no stack trace: it is an outcome, not an error.
 */
public final class PartitionHandedOver extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PartitionHandedOver(String partition) {
    super("partition " + partition + " was handed to another reader before the job was sent; it sends the job",
        null, false, false);
  }
}
