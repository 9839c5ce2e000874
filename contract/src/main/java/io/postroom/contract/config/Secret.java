package io.postroom.contract.config;

import java.util.Objects;

/**
 * A credential read from the configuration. Prints as {@code ***} wherever it ends up: logs,
 * exceptions, records' toString.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static Secret of(String value) {
    return value == null ? null : new Secret(value);
  }

  /** The clear value, for handing to the client that needs it only. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "***";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
