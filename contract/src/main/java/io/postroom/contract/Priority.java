package io.postroom.contract;

import java.util.Locale;

/** The lane a job travels in: high before normal before bulk. */
public enum Priority {
  HIGH, NORMAL, BULK;

  /** The contract's spelling: "high", "normal", "bulk". */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Priority fromJson(String value) {
    for (Priority p : values()) {
      if (p.json().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not one of high, normal, bulk");
  }
}
