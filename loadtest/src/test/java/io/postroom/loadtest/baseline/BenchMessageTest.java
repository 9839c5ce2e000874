package io.postroom.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BenchMessageTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 43, 44, 45, 1024, 100_000})
  void theBodyIsExactlySizeBytes(int size) {
    String text = new BenchMessage("r1", 7, size).text();

    assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(size);
    assertThat("Dear citizen, this is load test message 7.\r\n".repeat(size / 44 + 1)).startsWith(text);
  }

  @Test
  void looksLikeTheDispatchersMessageForTheSameJob() {
    BenchMessage message = new BenchMessage("k3x9", 12, 1024);

    assertThat(message.to()).isEqualTo("citizen12@example.org");
    assertThat(message.subject()).isEqualTo("Load test k3x9 #12");
    assertThat(message.campaign()).isEqualTo("load-k3x9");
    assertThat(message.messageId()).isEqualTo("<12.k3x9@example.gov.in>");
  }

  @Test
  void theVertxMessageCarriesTheMessageIdAndCampaignHeaders() {
    var mail = new BenchMessage("k3x9", 12, 100).mailMessage();

    assertThat(mail.getFrom()).isEqualTo("Notifications <noreply@example.gov.in>");
    assertThat(mail.getBounceAddress()).isEqualTo("noreply@example.gov.in");
    assertThat(mail.getTo()).containsExactly("citizen12@example.org");
    assertThat(mail.getHeaders().getAll("Message-ID")).containsExactly("<12.k3x9@example.gov.in>");
    assertThat(mail.getHeaders().getAll("X-Campaign")).containsExactly("load-k3x9");
    assertThat(mail.getText()).doesNotContain("\r").hasSize(100 - 2);
  }

  @Test
  void theJakartaMessageHasExactlyOneMessageIdTheGivenOne() throws Exception {
    MimeMessage mime = new BenchMessage("k3x9", 12, 1024).mimeMessage(Session.getInstance(new Properties()));
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    mime.writeTo(raw);
    String text = raw.toString(StandardCharsets.UTF_8);

    assertThat(mime.getHeader("Message-ID")).containsExactly("<12.k3x9@example.gov.in>");
    assertThat(mime.getHeader("X-Campaign")).containsExactly("load-k3x9");
    assertThat(mime.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("charset=UTF-8");
    assertThat(text).contains("\r\n\r\n" + new BenchMessage("k3x9", 12, 1024).text());
  }
}
