package io.postroom.contract.cli;

import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.ConfigValues;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * The value formats every command reads alike: whole numbers with {@code _} or {@code ,} between the
 * digits ({@code 100_000}, {@code 1,000}), decimal numbers, durations as in the configuration
 * ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}) and ISO-8601 instants. A value that is none
 * of these is refused naming the option; a value out of its range by {@link #range}.
 */
public final class OptionValues {
  private OptionValues() {
  }

  static void register(CommandLine line) {
    ITypeConverter<Long> whole = OptionValues::wholeNumber;
    ITypeConverter<Integer> integer = text -> {
      long n = wholeNumber(text);
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new TypeConversionException("'" + text + "' is too large");
      }
      return (int) n;
    };
    ITypeConverter<Double> decimal = OptionValues::decimal;
    line.registerConverter(Long.class, whole).registerConverter(long.class, whole)
        .registerConverter(Integer.class, integer).registerConverter(int.class, integer)
        .registerConverter(Double.class, decimal).registerConverter(double.class, decimal)
        .registerConverter(Duration.class, OptionValues::duration)
        .registerConverter(Instant.class, OptionValues::instant);
  }

  static long wholeNumber(String text) {
    try {
      return Long.parseLong(text.trim().replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  static double decimal(String text) {
    try {
      double value = Double.parseDouble(text.trim());
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a number");
    }
  }

  static Duration duration(String text) {
    try {
      return ConfigValues.duration("", text, null);
    } catch (ConfigException e) {
      throw new TypeConversionException(e.getMessage().substring(2));
    }
  }

  static Instant instant(String text) {
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + text + "' is not an ISO-8601 instant such as 2026-11-22T10:00:00Z");
    }
  }

  /** {@code text}, a part of {@code option}'s value, read as a duration; else the option is refused. */
  public static Duration duration(CommandSpec spec, String option, String text) {
    try {
      return duration(text);
    } catch (TypeConversionException e) {
      throw Cli.invalid(spec, option, e.getMessage());
    }
  }

  /** {@code value} if it is from {@code min} to {@code max}; else the option is refused, naming the range. */
  public static long range(CommandSpec spec, String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw Cli.invalid(spec, option, String.format(Locale.ROOT, "must be from %,d to %,d, got %,d", min, max, value));
    }
    return value;
  }

  /** {@code value} if it is from {@code min} to {@code max}; else the option is refused, naming the range. */
  public static double range(CommandSpec spec, String option, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw Cli.invalid(spec, option, "must be from " + plain(min) + " to " + plain(max) + ", got " + plain(value));
    }
    return value;
  }

  /** {@code value} if it is {@code min} or more; else the option is refused. */
  public static double atLeast(CommandSpec spec, String option, double value, double min) {
    if (!(value >= min)) {
      throw Cli.invalid(spec, option, "must be " + plain(min) + " or more, got " + plain(value));
    }
    return value;
  }

  private static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
