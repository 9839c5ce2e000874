package io.postroom.api.suppressions;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.UnsubscribeToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The small pages of {@code /u/{token}}: the confirmation (what the link stands for, one button that
 * POSTs to the same URL), the answer to that button, and the page of a link that is not valid. Self-
 * contained (no script, no image, no external resource), every value HTML-escaped, the address
 * partly masked, and served with a Content-Security-Policy that allows nothing but the page's own
 * style and a form to this origin ({@link #CONTENT_SECURITY_POLICY}).
 */
final class UnsubscribePage {
  private static final String STYLE = "body{font-family:sans-serif;max-width:34em;margin:3em auto;padding:0 1em;"
      + "color:#222}h1{font-size:1.4em}dt{font-weight:bold}dd{margin:0 0 .6em 0}"
      + "button{font-size:1.1em;padding:.5em 1.2em;cursor:pointer}";
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
      + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private UnsubscribePage() {
  }

  /** The confirmation page; {@code already}: the address is suppressed for this mail already. */
  static String confirm(String path, UnsubscribeToken token, boolean already) {
    String body = "<h1>Unsubscribe</h1>" + details(token)
        + (already ? "<p id=\"already\">This address is already unsubscribed from this mail.</p>"
            : "<p>Press the button to stop receiving this mail at this address.</p>"
                + "<form method=\"post\" action=\"" + escape(path) + "\">"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<input type=\"hidden\" name=\"confirmed\" value=\"page\">"
                + "<button type=\"submit\" id=\"unsubscribe\">Unsubscribe</button></form>");
    return page("Unsubscribe", body);
  }

  /** The answer to the button. */
  static String done(UnsubscribeToken token) {
    return page("Unsubscribed", "<h1 id=\"done\">You are unsubscribed</h1>" + details(token)
        + "<p>No more of this mail will be sent to this address. It can take a few minutes for mail already"
        + " on its way.</p>");
  }

  /** The page of a link that is malformed, altered, or no longer valid. */
  static String notFound() {
    return page("Link not valid", "<h1 id=\"invalid\">This unsubscribe link is not valid</h1><p>It may have been"
        + " cut short or changed. Use the link of a recent mail, or contact its sender.</p>");
  }

  private static String details(UnsubscribeToken token) {
    return "<dl><dt>From</dt><dd id=\"tenant\">" + escape(token.tenant()) + "</dd>"
        + "<dt>Mail</dt><dd id=\"stream\">" + (Suppression.ANY_STREAM.equals(token.stream()) ? "all mail"
            : escape(token.stream())) + "</dd>"
        + "<dt>Address</dt><dd id=\"address\">" + escape(mask(token.address())) + "</dd></dl>";
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta name=\"robots\" content=\"noindex\"><title>" + escape(title) + "</title><style>" + STYLE
        + "</style></head><body>" + body + "</body></html>";
  }

  /** {@code asha@example.org} as {@code a***@example.org}: enough to recognise, not to harvest. */
  static String mask(String address) {
    int at = address.lastIndexOf('@');
    return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String sha256(String text) {
    try {
      return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
