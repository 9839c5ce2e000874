package io.postroom.contract.template;

import java.math.BigDecimal;

/** A variable's value as it is written into a part: numbers as people write them, html escaped. */
final class VariableText {
  private VariableText() {
  }

  /** 1200 rather than 1200.0, 0.000001 rather than 1.0E-6. */
  static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : String.valueOf(d);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    return String.valueOf(value);
  }

  /**
   * Escaped for html text and for attribute values in either quotes; the same characters as
   * JMustache's own HTML escaper, in one pass, and no copy when there is nothing to escape.
   */
  static String html(Object value) {
    String text = text(value);
    int i = 0;
    while (i < text.length() && replacement(text.charAt(i)) == null) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement == null) {
        escaped.append(c);
      } else {
        escaped.append(replacement);
      }
    }
    return escaped.toString();
  }

  private static String replacement(char c) {
    return switch (c) {
      case '&' -> "&amp;";
      case '<' -> "&lt;";
      case '>' -> "&gt;";
      case '"' -> "&quot;";
      case '\'' -> "&#39;";
      case '`' -> "&#x60;";
      case '=' -> "&#x3D;";
      default -> null;
    };
  }
}
