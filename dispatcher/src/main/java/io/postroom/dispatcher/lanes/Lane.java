package io.postroom.dispatcher.lanes;

import io.postroom.contract.Priority;
import java.util.Objects;

/**
 * Where a job waits to be sent: one lane per priority and tenant, so that fairness can be kept
 * between tenants of the same priority and the partitions feeding a full lane can be paused alone.
 */
public record Lane(Priority priority, String tenant) {

  public Lane {
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(tenant, "tenant");
  }
}
