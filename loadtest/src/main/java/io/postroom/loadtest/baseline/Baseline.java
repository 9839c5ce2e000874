package io.postroom.loadtest.baseline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.List;

/**
 * The baselines of {@code bin/postroom bench}: {@code options.messages()} messages to an SMTP relay
 * that requires STARTTLS and AUTH, sent by one of three clients (see
 * {@link BaselineOptions.Client}), measured from the first connection to the last 250 after the
 * warm-up messages.
 */
public final class Baseline {
  private Baseline() {
  }

  /**
   * Sends and measures. A password file or trust PEM that cannot be used is an
   * IllegalArgumentException naming the option; everything that goes wrong while sending is in the
   * result ({@link BaselineResult#failed()}, {@link BaselineResult#firstError()}).
   */
  public static BaselineResult run(BaselineOptions options) {
    String password = password(options.passwordFile());
    List<Certificate> trusted = Trust.certificates(options.trustPem());
    return switch (options.client()) {
      case VERTX -> VertxBaseline.run(options, password);
      case JAKARTA -> JakartaBaseline.run(options, password, trusted, false);
      case JAKARTA_PER_MESSAGE -> JakartaBaseline.run(options, password, trusted, true);
      case KAFKA_CEILING -> KafkaCeiling.run(options, password);
    };
  }

  /** The file's content without its trailing line end(s). */
  static String password(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--password-file: cannot read " + file + ": " + e.getMessage(), e);
    }
    int end = content.length();
    while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
      end--;
    }
    if (end == 0) {
      throw new IllegalArgumentException("--password-file: " + file + " is empty");
    }
    return content.substring(0, end);
  }
}
