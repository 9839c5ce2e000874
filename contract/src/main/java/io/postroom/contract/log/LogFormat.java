package io.postroom.contract.log;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;

/**
 * The encoder of every Postroom log: lines of text that start with the date and time (ISO-8601 in
 * UTC, with milliseconds), or with {@code <format>json</format>} (the logback configurations set it
 * from {@value #VARIABLE}) one JSON object per line from Logback's own {@link JsonEncoder}, for a log
 * collector. Another format is refused in one line on stderr, and the log stays text.
 */
public final class LogFormat extends EncoderBase<ILoggingEvent> {
  /** The environment variable that picks the format: {@code text} (the default) or {@code json}. */
  public static final String VARIABLE = "POSTROOM_LOG_FORMAT";
  /** {@code 2026-12-02T08:30:01.234Z INFO  Dispatcher - ...}. */
  public static final String PATTERN = "%d{\"yyyy-MM-dd'T'HH:mm:ss.SSSXXX\", UTC} %-5level %logger{0} - %msg%n";

  private String format = "text";
  private Encoder<ILoggingEvent> delegate;

  /** {@code text} or {@code json}, whatever the case; blank is text. */
  public void setFormat(String format) {
    this.format = format;
  }

  @Override
  public void start() {
    String chosen = format == null || format.isBlank() ? "text" : format.trim().toLowerCase(Locale.ROOT);
    if (!chosen.equals("text") && !chosen.equals("json")) {
      System.err.println("postroom: " + VARIABLE + ": '" + format + "' is not one of text, json; logging as text");
      chosen = "text";
    }
    delegate = chosen.equals("json") ? json() : text();
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  private static Encoder<ILoggingEvent> text() {
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setPattern(PATTERN);
    return text;
  }

  /** The event's time (epoch milliseconds), level, thread, logger, formatted message, MDC, key-values and throwable. */
  private static Encoder<ILoggingEvent> json() {
    JsonEncoder json = new JsonEncoder();
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    return json;
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
