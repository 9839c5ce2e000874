package io.postroom.dispatcher.redrive;

import io.postroom.contract.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The arguments of {@code bin/postroom redrive}: {@code [--code CODE[,CODE...]] [--since ISO-INSTANT]
 * [--until ISO-INSTANT] [--dry-run]}, each value either as the next argument or after {@code =}.
 * Every problem is an {@link ArgumentException} naming the argument.
 */
public final class RedriveArguments {
  static final String CODE = "--code";
  static final String SINCE = "--since";
  static final String UNTIL = "--until";
  static final String DRY_RUN = "--dry-run";

  private final Set<ErrorCode> codes = EnumSet.noneOf(ErrorCode.class);
  private Instant since;
  private Instant until;
  private boolean dryRun;

  private RedriveArguments() {
  }

  public static RedriveRequest parse(List<String> args) {
    return new RedriveArguments().read(args);
  }

  private RedriveRequest read(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int equals = arg.indexOf('=');
      String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      String inline = option.equals(arg) ? null : arg.substring(equals + 1);
      switch (option) {
        case DRY_RUN -> {
          if (inline != null) {
            throw new ArgumentException(DRY_RUN, "takes no value, got '" + inline + "'");
          }
          dryRun = true;
        }
        case CODE, SINCE, UNTIL -> {
          String value = inline;
          if (value == null) {
            // an option right after another is a forgotten value, not the value
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
              throw new ArgumentException(option, "needs a value");
            }
            value = args.get(++i);
          }
          take(option, value);
        }
        default -> throw new ArgumentException(arg, "unknown argument; the options are "
            + String.join(", ", CODE, SINCE, UNTIL, DRY_RUN));
      }
    }
    if (since != null && until != null && !until.isAfter(since)) {
      throw new ArgumentException(UNTIL, until + " is not later than " + SINCE + " " + since);
    }
    return new RedriveRequest(codes, since, until, dryRun);
  }

  private void take(String option, String value) {
    switch (option) {
      case CODE -> codes.addAll(codes(value));
      case SINCE -> since = once(SINCE, since, instant(SINCE, value));
      default -> until = once(UNTIL, until, instant(UNTIL, value));
    }
  }

  private static Set<ErrorCode> codes(String value) {
    Set<ErrorCode> parsed = EnumSet.noneOf(ErrorCode.class);
    for (String name : value.split(",", -1)) {
      String code = name.trim().toUpperCase(Locale.ROOT);
      if (code.isEmpty()) {
        throw new ArgumentException(CODE, "'" + value + "' has an empty code; give codes such as RETRIES_EXHAUSTED,EXPIRED");
      }
      try {
        parsed.add(ErrorCode.valueOf(code));
      } catch (IllegalArgumentException e) {
        throw new ArgumentException(CODE, "'" + name.trim() + "' is not one of "
            + Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.joining(", ")));
      }
    }
    return parsed;
  }

  private static Instant instant(String option, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new ArgumentException(option, "'" + value + "' is not an ISO-8601 instant such as 2026-11-22T10:00:00Z");
    }
  }

  private static Instant once(String option, Instant previous, Instant value) {
    if (previous != null) {
      throw new ArgumentException(option, "given twice (" + previous + " and " + value + ")");
    }
    return value;
  }
}
