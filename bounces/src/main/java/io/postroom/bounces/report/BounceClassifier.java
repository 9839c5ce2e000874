package io.postroom.bounces.report;

import io.postroom.contract.compliance.BounceKind;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one recipient block of a delivery status notification (RFC 3464) means for the recipient.
 *
 * <ul>
 *   <li>{@link BounceKind#POLICY}: the receiver refused the <em>sender</em>, not the address: a status of
 *       RFC 3463's subject 7 (security or policy: {@code 5.7.26} DMARC, {@code 5.7.28}, Microsoft's
 *       {@code 5.7.515}, {@code 5.7.1}, also a temporary {@code 4.7.x}), or a diagnostic that speaks of
 *       blocking, block lists, reputation, spam, DMARC or policy. Never suppresses: the address is fine,
 *       and suppressing it would silence a citizen because of the sender's own mistake.
 *   <li>{@link BounceKind#HARD}: any other {@code 5.x.x} with {@code Action: failed}.
 *   <li>{@link BounceKind#SOFT}: {@code 4.x.x}, {@code Action: delayed}, or a failure without a readable status
 *       (a guess on the safe side: it counts toward a suppression instead of causing one).
 *   <li>none: {@code delivered}, {@code relayed}, {@code expanded}: not a bounce.
 * </ul>
 */
public final class BounceClassifier {
  private static final Pattern STATUS = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern POLICY_WORDS = Pattern.compile(
      "\\b(blocked|block ?list(ed)?|black ?list(ed)?|deny ?list(ed)?|reputation|spam\\w*|dmarc|policy|policies)\\b",
      Pattern.CASE_INSENSITIVE);

  private BounceClassifier() {
  }

  /**
   * @param action the block's {@code Action} (failed, delayed, delivered, relayed, expanded)
   * @param status the block's {@code Status} ({@code 5.1.1}), possibly with a comment
   * @param diagnostic the block's {@code Diagnostic-Code} text, or null
   */
  public static Optional<BounceKind> classify(String action, String status, String diagnostic) {
    String act = action == null ? "" : action.trim().toLowerCase(Locale.ROOT);
    if (act.startsWith("delivered") || act.startsWith("relayed") || act.startsWith("expanded")) {
      return Optional.empty();
    }
    Matcher code = status == null ? null : STATUS.matcher(status);
    boolean hasCode = code != null && code.find();
    String codeClass = hasCode ? code.group(1) : null;
    if (hasCode && codeClass.equals("2")) {
      return Optional.empty();
    }
    if (hasCode && code.group(2).equals("7")) {
      return Optional.of(BounceKind.POLICY);
    }
    if (diagnostic != null && POLICY_WORDS.matcher(diagnostic).find()) {
      return Optional.of(BounceKind.POLICY);
    }
    if (act.startsWith("failed") && "5".equals(codeClass)) {
      return Optional.of(BounceKind.HARD);
    }
    return Optional.of(BounceKind.SOFT);
  }

  /** The status code alone ({@code 5.1.1}), or null when there is none. */
  public static String statusCode(String status) {
    if (status == null) {
      return null;
    }
    Matcher m = STATUS.matcher(status);
    return m.find() ? m.group() : null;
  }
}
