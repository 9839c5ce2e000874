package io.postroom.contract.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("io.postroom.dispatcher.Dispatcher");

  private String encode(String format) {
    context.setMDCAdapter(new LogbackMDCAdapter());
    LogFormat encoder = new LogFormat();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.start();
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "relay {} is up",
        null, new Object[] {"mail.example.org:587"});
    event.setTimeStamp(1_796_200_201_234L);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void aTextLineStartsWithTheDateAndTimeInUtcWithMilliseconds() {
    assertThat(encode("text")).isEqualTo("2026-12-02T08:30:01.234Z INFO  Dispatcher - relay mail.example.org:587 is up\n");
  }

  @Test
  void jsonIsOneObjectPerLineWithTheFormattedMessage() {
    String line = encode("json");

    assertThat(line).endsWith("\n").doesNotContain("\n{");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("loggerName")).isEqualTo("io.postroom.dispatcher.Dispatcher");
    assertThat(json.getString("formattedMessage")).isEqualTo("relay mail.example.org:587 is up");
    assertThat(json.getLong("timestamp")).isEqualTo(1_796_200_201_234L);
  }

  @Test
  void theFormatIsReadWhateverItsCase() {
    assertThat(encode("JSON")).startsWith("{");
  }

  @Test
  void anUnknownFormatLogsText() {
    assertThat(encode("xml")).startsWith("2026-12-02T08:30:01.234Z INFO");
  }
}
