package io.postroom.bounces.report;

import io.postroom.contract.compliance.BounceKind;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;

/**
 * Reads one message of the bounce mailbox into a {@link Report}: a delivery status notification
 * ({@code multipart/report; report-type=delivery-status}, RFC 3464, parsed by Angus Mail's
 * {@link MultipartReport} and {@link DeliveryStatus}), a feedback-loop complaint ({@code
 * report-type=feedback-report}, RFC 5965: Angus has no handler for its second part, read here with
 * {@link InternetHeaders}), an {@code unsubscribe <token>} mail, or something unreadable, with why.
 * Never throws: a report that breaks any of this is {@link Report.Unreadable}.
 */
public final class ReportReader {
  private static final Pattern SMTP_CODE = Pattern.compile("^\\s*([245]\\d\\d)\\b");
  private static final Pattern UNSUBSCRIBE = Pattern.compile("^\\s*unsubscribe\\s+([A-Za-z0-9_-]{16,})\\s*$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern FOLD = Pattern.compile("\\r?\\n[ \\t]+");
  private static final int MAX_TEXT = 500;

  private ReportReader() {
  }

  public static Report read(MimeMessage message) {
    String id;
    try {
      id = reportId(message);
    } catch (MessagingException | RuntimeException e) {
      return new Report.Unreadable("unreadable", "its headers cannot be read: " + e.getMessage());
    }
    try {
      ContentType type = new ContentType(message.getContentType());
      if (type.match("multipart/report")) {
        String reportType = Optional.ofNullable(type.getParameter("report-type")).orElse("").toLowerCase(Locale.ROOT);
        Object content = message.getContent();
        if (!(content instanceof MultipartReport report)) {
          return new Report.Unreadable(id, "a multipart/report that cannot be parsed as one");
        }
        return switch (reportType) {
          case "delivery-status" -> delivery(id, message, report);
          case "feedback-report" -> complaint(id, message, report);
          default -> new Report.Unreadable(id, "a multipart/report of report-type '" + reportType
              + "', neither delivery-status nor feedback-report");
        };
      }
      String subject = message.getSubject();
      Matcher unsubscribe = subject == null ? null : UNSUBSCRIBE.matcher(subject);
      if (unsubscribe != null && unsubscribe.matches()) {
        return new Report.Unsubscribe(id, unsubscribe.group(1));
      }
      return new Report.Unreadable(id, "not a delivery status notification or feedback report (Content-Type "
          + type.getBaseType() + ")");
    } catch (ParseException e) {
      return new Report.Unreadable(id, "its Content-Type cannot be parsed: " + e.getMessage());
    } catch (MessagingException | IOException | RuntimeException e) {
      return new Report.Unreadable(id, "it cannot be parsed: " + e);
    }
  }

  private static Report delivery(String id, MimeMessage message, MultipartReport report) throws MessagingException {
    if (!(report.getReport() instanceof DeliveryStatus status)) {
      return new Report.Unreadable(id, "a delivery-status report without a message/delivery-status part");
    }
    List<String> envelope = envelopeAddresses(message);
    typed(status.getMessageDSN().getHeader("X-Postfix-Sender", null)).ifPresent(envelope::add);
    List<Recipient> recipients = new ArrayList<>();
    for (int i = 0; i < status.getRecipientDSNCount(); i++) {
      InternetHeaders block = status.getRecipientDSN(i);
      String action = header(block, "Action");
      String statusText = header(block, "Status");
      String diagnostic = typed(header(block, "Diagnostic-Code")).orElse(null);
      Optional<BounceKind> kind = BounceClassifier.classify(action, statusText, diagnostic);
      if (kind.isEmpty()) {
        continue;
      }
      Optional<String> address = typed(header(block, "Original-Recipient"))
          .or(() -> typed(header(block, "Final-Recipient")));
      if (address.isEmpty()) {
        return new Report.Unreadable(id, "recipient block " + (i + 1) + " names no Final-Recipient");
      }
      recipients.add(new Recipient(bare(address.get()), kind.get(), smtpCode(header(block, "Diagnostic-Code")),
          BounceClassifier.statusCode(statusText), limit(diagnostic != null ? diagnostic : statusText)));
    }
    if (status.getRecipientDSNCount() == 0) {
      return new Report.Unreadable(id, "a delivery status notification without recipient blocks");
    }
    return new Report.DeliveryReport(id, envelope, recipients);
  }

  private static Report complaint(String id, MimeMessage message, MultipartReport report)
      throws MessagingException, IOException {
    if (report.getCount() < 2) {
      return new Report.Unreadable(id, "a feedback report without its machine-readable part");
    }
    InternetHeaders feedback;
    try (InputStream in = report.getBodyPart(1).getInputStream()) {
      feedback = new InternetHeaders(in);
    }
    String feedbackType = header(feedback, "Feedback-Type");
    if (feedbackType == null) {
      return new Report.Unreadable(id, "a feedback report without Feedback-Type");
    }
    List<String> envelope = envelopeAddresses(message);
    Optional.ofNullable(header(feedback, "Original-Mail-From")).map(ReportReader::bare).ifPresent(envelope::add);
    String originalId = null;
    String originalTo = null;
    if (report.getCount() >= 3) {
      InternetHeaders original = originalHeaders(report.getBodyPart(2));
      originalId = header(original, "Message-ID");
      originalTo = header(original, "To");
    }
    if (originalId == null) {
      return new Report.Unreadable(id, "a feedback report without the original message's Message-ID");
    }
    String rcptTo = header(feedback, "Original-Rcpt-To");
    String recipient = rcptTo != null ? bare(rcptTo) : originalTo != null ? bare(originalTo) : null;
    return new Report.Complaint(id, envelope, feedbackType.toLowerCase(Locale.ROOT), originalId.trim(), recipient);
  }

  /** The header section of an ARF's third part, {@code message/rfc822} or {@code text/rfc822-headers}. */
  private static InternetHeaders originalHeaders(BodyPart part) throws MessagingException, IOException {
    Object content = part.getContent();
    if (content instanceof MimeMessage original) {
      InternetHeaders headers = new InternetHeaders();
      Enumeration<String> lines = original.getAllHeaderLines();
      while (lines.hasMoreElements()) {
        headers.addHeaderLine(lines.nextElement());
      }
      return headers;
    }
    try (InputStream in = part.getInputStream()) {
      return new InternetHeaders(in);
    }
  }

  private static List<String> envelopeAddresses(MimeMessage message) throws MessagingException {
    List<String> addresses = new ArrayList<>();
    for (String name : new String[] {"Delivered-To", "X-Original-To"}) {
      String[] values = message.getHeader(name);
      if (values != null) {
        for (String value : values) {
          addresses.add(bare(value));
        }
      }
    }
    return addresses;
  }

  private static String reportId(MimeMessage message) throws MessagingException {
    String id = message.getMessageID();
    if (id != null && !id.isBlank()) {
      return id.trim();
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      Enumeration<String> lines = message.getAllHeaderLines();
      while (lines.hasMoreElements()) {
        digest.update(lines.nextElement().getBytes(StandardCharsets.UTF_8));
      }
      return "sha256:" + HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(InternetHeaders headers, String name) {
    String value = headers.getHeader(name, null);
    return value == null ? null : FOLD.matcher(value).replaceAll(" ").trim();
  }

  /** The value of a typed field ({@code rfc822; a@b}, {@code smtp; 550 ...}) without its type. */
  private static Optional<String> typed(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String unfolded = FOLD.matcher(value).replaceAll(" ").trim();
    int semicolon = unfolded.indexOf(';');
    String text = (semicolon < 0 ? unfolded : unfolded.substring(semicolon + 1)).trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private static Integer smtpCode(String diagnosticCode) {
    if (diagnosticCode == null || !diagnosticCode.trim().toLowerCase(Locale.ROOT).startsWith("smtp")) {
      return null;
    }
    Matcher m = SMTP_CODE.matcher(typed(diagnosticCode).orElse(""));
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  private static String bare(String address) {
    String a = address.trim();
    int lt = a.lastIndexOf('<');
    int gt = a.lastIndexOf('>');
    if (lt >= 0 && gt > lt) {
      a = a.substring(lt + 1, gt);
    }
    return a.trim();
  }

  private static String limit(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }
}
