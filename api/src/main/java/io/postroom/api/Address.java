package io.postroom.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An e-mail address, optionally with a display name: {@code Billing <noreply@example.gov.in>}.
 * Only ASCII addresses are accepted: the relays we serve do not speak SMTPUTF8. Display names may
 * use any characters; they are encoded when the message is written.
 */
public record Address(String displayName, String email) {
  private static final Pattern LOCAL_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4_LITERAL =
      Pattern.compile("\\[(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}]");

  public String domain() {
    return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }

  public String localPart() {
    return email.substring(0, email.lastIndexOf('@'));
  }

  @Override
  public String toString() {
    return displayName == null ? email : displayName + " <" + email + ">";
  }

  /** Parses {@code a@b}, {@code Name <a@b>} or {@code "Name, Inc." <a@b>}. */
  public static Address parse(String text) {
    if (text == null || text.isBlank()) {
      throw new AddressException("is empty");
    }
    String s = text.trim();
    int open = s.lastIndexOf('<');
    if (open < 0) {
      if (s.indexOf('>') >= 0) {
        throw new AddressException("has a '>' without a '<'");
      }
      return new Address(null, addrSpec(s));
    }
    if (!s.endsWith(">")) {
      throw new AddressException("has text after the closing '>'");
    }
    String name = displayName(s.substring(0, open).trim());
    return new Address(name, addrSpec(s.substring(open + 1, s.length() - 1).trim()));
  }

  private static String displayName(String raw) {
    if (raw.isEmpty()) {
      return null;
    }
    if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      return raw.substring(1, raw.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return raw;
  }

  private static String addrSpec(String s) {
    if (!s.chars().allMatch(c -> c < 128)) {
      throw new AddressException("contains non-ASCII characters; internationalised addresses (SMTPUTF8) are not supported");
    }
    if (s.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new AddressException("contains spaces or control characters");
    }
    int at = s.lastIndexOf('@');
    if (at < 0) {
      throw new AddressException("has no '@'");
    }
    String local = s.substring(0, at);
    String domain = s.substring(at + 1);
    if (local.isEmpty()) {
      throw new AddressException("has nothing before the '@'");
    }
    if (domain.isEmpty()) {
      throw new AddressException("has no domain after the '@'");
    }
    if (local.length() > 64) {
      throw new AddressException("has a local part longer than 64 characters");
    }
    if (s.length() > 254) {
      throw new AddressException("is longer than 254 characters");
    }
    for (String atom : local.split("\\.", -1)) {
      if (atom.isEmpty()) {
        throw new AddressException("has a dot at the start or end of the local part, or two dots in a row");
      }
      if (!LOCAL_ATOM.matcher(atom).matches()) {
        throw new AddressException("has characters that are not allowed before the '@' (quoted local parts are not supported)");
      }
    }
    if (!IPV4_LITERAL.matcher(domain).matches()) {
      String[] labels = domain.split("\\.", -1);
      if (labels.length < 2) {
        throw new AddressException("has a domain without a dot: '" + domain + "'");
      }
      for (String label : labels) {
        if (!LABEL.matcher(label).matches()) {
          throw new AddressException("has an invalid domain '" + domain + "'");
        }
      }
      if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
        throw new AddressException("has an invalid domain '" + domain + "' (an IP address must be written [1.2.3.4])");
      }
    }
    return s;
  }
}
