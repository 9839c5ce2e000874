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
  @ValueSource(ints = {1, 43, 44, 45, 1024, BenchMessage.TEXT_ONLY_LIMIT})
  void theBodyIsExactlySizeBytes(int size) {
    String text = new BenchMessage("r1", 7, size).text();

    assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(size);
    assertThat("Dear citizen, this is load test message 7.\r\n".repeat(size / 44 + 1)).startsWith(text);
  }

  @Test
  void aLargeMessageIsAKilobyteOfTextAndOneAttachmentOfTheRest() {
    BenchMessage message = new BenchMessage("r1", 7, 102_400);

    assertThat(message.hasAttachment()).isTrue();
    assertThat(message.text()).hasSize(BenchMessage.LARGE_TEXT);
    assertThat(message.attachment()).hasSize(102_400 - BenchMessage.LARGE_TEXT);
    assertThat(message.mailMessage().getAttachment()).singleElement()
        .satisfies(file -> assertThat(file.getData().length()).isEqualTo(102_400 - BenchMessage.LARGE_TEXT));
  }

  @Test
  void theJobOfALargeMessageCarriesItsAttachmentInBase64() {
    BenchMessage message = new BenchMessage("r1", 7, 102_400);

    var job = message.job(3);

    assertThat(job.getString("id")).isEqualTo("r1-7");
    assertThat(job.getString("text")).isEqualTo(message.text());
    var attachment = job.getJsonArray("attachments").getJsonObject(0);
    assertThat(attachment.getString("filename")).isEqualTo("statement.pdf");
    assertThat(java.util.Base64.getDecoder().decode(attachment.getString("data"))).isEqualTo(message.attachment());
  }

  @Test
  void theJakartaMessageOfALargeMessageIsMultipartWithTheAttachment() throws Exception {
    MimeMessage mime = new BenchMessage("k3x9", 12, 50_000).mimeMessage(Session.getInstance(new Properties()));

    assertThat(mime.getContentType()).containsIgnoringCase("multipart/mixed");
    var parts = (jakarta.mail.internet.MimeMultipart) mime.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("statement.pdf");
  }

  @Test
  void aSmallMessageHasNoAttachmentInItsJob() {
    assertThat(new BenchMessage("r1", 7, 1024).job(3).containsKey("attachments")).isFalse();
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
