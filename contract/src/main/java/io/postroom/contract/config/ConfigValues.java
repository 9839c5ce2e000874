package io.postroom.contract.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How every Postroom process reads a configuration value: from a variable of the environment when
 * it is set, else from the file, else a default; a bad value is a {@link ConfigException} that
 * names the key the user actually set.
 */
public final class ConfigValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private ConfigValues() {
  }

  /** A value and the key it came from. */
  public record Source(String key, Object value) {
    /** The variable when the environment sets it, else the file's field under its dotted key. */
    public static Source of(Map<String, String> env, String variable, JsonObject section, String field, String fileKey) {
      String fromEnv = env.get(variable);
      return fromEnv != null ? new Source(variable, fromEnv) : new Source(fileKey, section.getValue(field));
    }
  }

  /** 250ms, 10s, 5m, 1h, or a number of milliseconds; longer than zero. */
  public static Duration duration(String key, Object value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(String.valueOf(value).trim());
    if (!m.matches()) {
      throw new ConfigException(key, "'" + value + "' is not a duration such as 250ms, 10s, 5m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.isZero()) {
      throw new ConfigException(key, "must be longer than zero");
    }
    return d;
  }

  public static Duration duration(Source source, Duration fallback) {
    return duration(source.key(), source.value(), fallback);
  }

  /** A non-empty text, trimmed. */
  public static String text(String key, Object value, String fallback) {
    if (value == null) {
      return fallback;
    }
    String s = String.valueOf(value).trim();
    if (s.isEmpty()) {
      throw new ConfigException(key, "must not be empty");
    }
    return s;
  }

  public static String text(Source source, String fallback) {
    return text(source.key(), source.value(), fallback);
  }

  /** A section of the file: an object, or an empty one when it is absent. */
  public static JsonObject object(JsonObject parent, String field, String key) {
    Object value = parent.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new ConfigException(key, "must be an object");
    }
    return object;
  }
}
