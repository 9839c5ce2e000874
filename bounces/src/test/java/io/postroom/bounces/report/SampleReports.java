package io.postroom.bounces.report;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The sample reports of {@code testkit/reports/} (one place for them, shared with the round-trip test). */
public final class SampleReports {
  private static final Path DIR = Path.of("../testkit/reports");

  private SampleReports() {
  }

  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(DIR.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample as it arrives, with {@code headers} (e.g. a Delivered-To line) above its own. */
  public static MimeMessage message(String name, String... headers) {
    StringBuilder top = new StringBuilder();
    for (String header : headers) {
      top.append(header).append("\r\n");
    }
    byte[] head = top.toString().getBytes(StandardCharsets.UTF_8);
    byte[] body = bytes(name);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    try {
      return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(all));
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Report read(String name, String... headers) {
    return ReportReader.read(message(name, headers));
  }
}
