package io.postroom.dispatcher.config;

import java.time.Duration;

/**
 * How long the dispatcher waits for what it cannot do without, before it gives up and ends the
 * process with the reason (exit code 1) rather than staying half alive. Shorter faults it rides out.
 *
 * @param kafkaStartTimeout how long the start waits for Kafka to answer ({@code kafka.startTimeout},
 *     {@code POSTROOM_KAFKA_START_TIMEOUT})
 * @param kafkaOutageTolerance how long a running dispatcher rides out Kafka not answering
 *     ({@code kafka.outageTolerance}, {@code POSTROOM_KAFKA_OUTAGE_TOLERANCE})
 * @param blockedLoopLimit how long an event loop may be stuck in one task ({@code dispatch.blockedLoopLimit})
 */
public record FaultTolerance(Duration kafkaStartTimeout, Duration kafkaOutageTolerance, Duration blockedLoopLimit) {

  /** How often a running dispatcher asks whether Kafka answers: often enough to honour the tolerance. */
  public Duration kafkaCheckInterval() {
    long millis = Math.max(250, Math.min(5_000, kafkaOutageTolerance.toMillis() / 4));
    return Duration.ofMillis(millis);
  }
}
