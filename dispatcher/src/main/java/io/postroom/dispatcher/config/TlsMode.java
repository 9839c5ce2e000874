package io.postroom.dispatcher.config;

import io.postroom.contract.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the connection to a relay is protected. */
public enum TlsMode {
  /** Plain connect, then STARTTLS, which is required: no STARTTLS offered means no send. */
  STARTTLS,
  /** TLS from the first byte (port 465). */
  IMPLICIT,
  /** No TLS at all: refused unless plaintext is explicitly allowed for development. */
  NONE;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TlsMode parse(String key, String value) {
    for (TlsMode mode : values()) {
      if (mode.key().equalsIgnoreCase(value.trim())) {
        return mode;
      }
    }
    throw new ConfigException(key, "'" + value + "' is not one of "
        + Arrays.stream(values()).map(TlsMode::key).collect(Collectors.joining(", ")));
  }
}
