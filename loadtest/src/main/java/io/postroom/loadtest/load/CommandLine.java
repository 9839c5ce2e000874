package io.postroom.loadtest.load;

import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.ConfigValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of a load-test command: {@code --name value}, {@code --name=value} and bare flags.
 * Every problem is an {@link IllegalArgumentException} whose message starts with the option.
 */
public final class CommandLine {
  private final Map<String, List<String>> values;

  private CommandLine(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Reads {@code args}; {@code options} take a value, {@code flags} do not (names with the dashes). */
  public static CommandLine parse(List<String> args, Set<String> options, Set<String> flags) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int equals = arg.indexOf('=');
      String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      String value = name.equals(arg) ? null : arg.substring(equals + 1);
      if (flags.contains(name) && value == null) {
        values.computeIfAbsent(name, n -> new ArrayList<>()).add("true");
        continue;
      }
      if (!options.contains(name)) {
        List<String> all = new ArrayList<>(options);
        all.addAll(flags);
        throw new IllegalArgumentException(arg + ": unknown; the options are " + String.join(", ", all.stream().sorted().toList()));
      }
      if (value == null) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new IllegalArgumentException(name + ": needs a value");
        }
        value = args.get(++i);
      }
      values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return new CommandLine(values);
  }

  public boolean flag(String name) {
    return values.containsKey(name);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The last value given for {@code name}, or {@code fallback}. */
  public String text(String name, String fallback) {
    List<String> given = values.get(name);
    return given == null ? fallback : given.get(given.size() - 1);
  }

  /** Every value given for a repeatable option, in order. */
  public List<String> all(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  /** A whole number from {@code min} to {@code max}; {@code 100_000} and {@code 100,000} are read too. */
  public long number(String name, long fallback, long min, long max) {
    String value = text(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.trim().replace("_", "").replace(",", ""));
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + ": must be from " + min + " to " + max + ", got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number");
    }
  }

  /** A number of 0 or more, such as a rate. */
  public double nonNegative(String name, double fallback) {
    String value = text(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(value.trim());
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(name + ": must be 0 or a positive number, got " + value);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a number");
    }
  }

  /** A fraction from 0 to 1, such as 0.01. */
  public double fraction(String name, double fallback) {
    String value = text(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(value.trim());
      if (!(d >= 0 && d <= 1)) {
        throw new IllegalArgumentException(name + ": must be from 0 to 1, got " + value);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a number such as 0.01");
    }
  }

  /** A duration such as 250ms, 10s, 5m or 1h. */
  public Duration duration(String name, Duration fallback) {
    return duration(name, text(name, null), fallback);
  }

  /** {@code value} read as a duration, an error naming {@code name}. */
  public static Duration duration(String name, String value, Duration fallback) {
    try {
      return ConfigValues.duration(name, value, fallback);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
