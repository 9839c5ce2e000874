package io.postroom.dispatcher;

/**
 * What one attempt of a job came to in this instance ({@link Delivery#attempt}): an {@link Outcome}
 * to publish, or {@link PartitionHandedOver}, nothing to publish.
 */
sealed interface AttemptResult permits Outcome, PartitionHandedOver {
}
