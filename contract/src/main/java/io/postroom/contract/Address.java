package io.postroom.contract;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An e-mail address, optionally with a display name: {@code Billing <noreply@example.gov.in>}.
 * Only ASCII addresses are accepted because the relays we serve do not speak SMTPUTF8; display
 * names may use any characters, as they are encoded when the message is written.
 */
public record Address(String displayName, String email) {
  private static final int MAX_LOCAL_PART = 64;
  private static final int MAX_ADDRESS = 254;
  private static final Pattern LOCAL_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4_LITERAL =
      Pattern.compile("\\[(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}]");
  /** RFC 5322 specials: a display name holding one of these must be quoted to read back the same. */
  private static final Pattern NEEDS_QUOTES = Pattern.compile("[()<>\\[\\]:;@\\\\,.\"]");

  public Address {
    Objects.requireNonNull(email, "email");
    displayName = displayName == null || displayName.isBlank() ? null : displayName;
  }

  /** The domain in lower case, as DNS and relays compare it. */
  public String domain() {
    return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }

  public String localPart() {
    return email.substring(0, email.lastIndexOf('@'));
  }

  /** {@code Name <a@b>}, {@code "Doe, Jane" <a@b>} or {@code a@b}: what {@link #parse} reads back. */
  @Override
  public String toString() {
    if (displayName == null) {
      return email;
    }
    String name = NEEDS_QUOTES.matcher(displayName).find()
        ? '"' + displayName.replace("\\", "\\\\").replace("\"", "\\\"") + '"'
        : displayName;
    return name + " <" + email + ">";
  }

  /**
   * Parses {@code a@b}, {@code Name <a@b>} or {@code "Name, Inc." <a@b>}.
   *
   * @throws AddressException saying what is wrong, e.g. "the domain is missing"
   */
  public static Address parse(String text) {
    if (text == null || text.isBlank()) {
      throw new AddressException("the address is empty");
    }
    if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0) {
      throw new AddressException("it contains a line break (CR or LF) or NUL");
    }
    String s = text.trim();
    int open = s.lastIndexOf('<');
    int close = s.lastIndexOf('>');
    if (open < 0 && close < 0) {
      return new Address(null, addrSpec(s));
    }
    if (open < 0) {
      throw new AddressException("it has a '>' without a '<'");
    }
    if (close < open) {
      throw new AddressException("the '<' is never closed with a '>'");
    }
    if (close != s.length() - 1) {
      throw new AddressException("there is text after the closing '>'");
    }
    return new Address(displayName(s.substring(0, open).trim()), addrSpec(s.substring(open + 1, close).trim()));
  }

  private static String displayName(String raw) {
    if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      return raw.substring(1, raw.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return raw;
  }

  private static String addrSpec(String s) {
    if (s.isEmpty()) {
      throw new AddressException("there is no address between '<' and '>'");
    }
    if (!s.chars().allMatch(c -> c < 128)) {
      throw new AddressException(
          "it contains non-ASCII characters, and internationalised addresses (SMTPUTF8) are not supported");
    }
    if (s.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new AddressException("it contains spaces or control characters");
    }
    int at = s.lastIndexOf('@');
    if (at < 0) {
      throw new AddressException("the '@' is missing");
    }
    localPart(s.substring(0, at));
    domain(s.substring(at + 1));
    if (s.length() > MAX_ADDRESS) {
      throw new AddressException("it is " + s.length() + " characters long, more than the " + MAX_ADDRESS + " allowed");
    }
    return s;
  }

  private static void localPart(String local) {
    if (local.isEmpty()) {
      throw new AddressException("the part before the '@' is empty");
    }
    if (local.length() > MAX_LOCAL_PART) {
      throw new AddressException("the part before the '@' is longer than " + MAX_LOCAL_PART + " characters");
    }
    for (String atom : local.split("\\.", -1)) {
      if (atom.isEmpty()) {
        throw new AddressException("the part before the '@' starts or ends with a dot, or has two dots in a row");
      }
      if (!LOCAL_ATOM.matcher(atom).matches()) {
        throw new AddressException(
            "the part before the '@' has characters that are not allowed (quoted local parts are not supported)");
      }
    }
  }

  private static void domain(String domain) {
    if (domain.isEmpty()) {
      throw new AddressException("the domain is missing");
    }
    if (IPV4_LITERAL.matcher(domain).matches()) {
      return;
    }
    String[] labels = domain.split("\\.", -1);
    if (labels.length < 2) {
      throw new AddressException("the domain '" + domain + "' has no dot");
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw new AddressException("the domain '" + domain
            + "' is not made of valid DNS labels (letters, digits and inner hyphens, separated by single dots)");
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw new AddressException("the domain '" + domain + "' looks like an IP address, which must be written [192.0.2.1]");
    }
  }
}
