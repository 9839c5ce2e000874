package io.postroom.dispatcher.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.Jobs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageComposerTest {
  private static final String MESSAGE_ID = "<mi3x1c00.1a2b3c4d5e@example.gov.in>";

  private static MailMessage compose(JsonObject json) {
    return MessageComposer.compose(Jobs.job(json), MESSAGE_ID);
  }

  @Test
  void theMessageIdHeaderIsTheOneGiven() {
    MailMessage message = compose(Jobs.minimal());

    assertThat(message.getHeaders().getAll("Message-ID")).containsExactly(MESSAGE_ID);
  }

  @Test
  void theFromHeaderKeepsTheDisplayName() {
    assertThat(compose(Jobs.full()).getFrom()).isEqualTo("Billing <noreply@example.gov.in>");
  }

  @Test
  void theBounceAddressIsTheBareFromEmail() {
    assertThat(compose(Jobs.full()).getBounceAddress()).isEqualTo("noreply@example.gov.in");
  }

  @Test
  void toAndCcAreTheJobsAddresses() {
    MailMessage message = compose(Jobs.full());

    assertThat(message.getTo()).containsExactly("a@example.org", "Bob <bob@example.org>");
    assertThat(message.getCc()).containsExactly("\"Doe, Jane\" <jane@example.org>");
  }

  @Test
  void bccRecipientsAreInTheEnvelopeOnly() {
    MailMessage message = compose(Jobs.full());

    assertThat(message.getBcc()).containsExactly("audit@example.gov.in");
    assertThat(message.getHeaders().contains("Bcc")).isFalse();
  }

  @Test
  void anEmptyRecipientListIsLeftOutSoTheClientWritesNoHeaderForIt() {
    MailMessage message = compose(Jobs.minimal());

    assertThat(message.getCc()).isNull();
    assertThat(message.getBcc()).isNull();
  }

  @Test
  void theSubjectIsTheJobsSubject() {
    assertThat(compose(Jobs.minimal()).getSubject()).isEqualTo("Your receipt");
  }

  @Test
  void theReplyToHeaderIsTheJobsReplyTo() {
    MailMessage message = compose(Jobs.full());

    assertThat(message.getHeaders().getAll("Reply-To")).containsExactly("help@example.gov.in");
  }

  @Test
  void aJobWithoutReplyToHasNoReplyToHeader() {
    assertThat(compose(Jobs.minimal()).getHeaders().contains("Reply-To")).isFalse();
  }

  @Test
  void aNonAsciiReplyToNameIsEncoded() {
    MailMessage message = compose(Jobs.minimal().put("replyTo", "Grüße Team <help@example.gov.in>"));

    assertThat(message.getHeaders().get("Reply-To")).isEqualTo("=?UTF-8?B?R3LDvMOfZSBUZWFt?= <help@example.gov.in>");
  }

  @Test
  void theJobsExtraHeadersArePresent() {
    MailMessage message = compose(Jobs.full());

    assertThat(message.getHeaders().get("X-Campaign")).isEqualTo("q4");
    assertThat(message.getHeaders().get("List-Unsubscribe")).isEqualTo("<mailto:u@example.org>");
  }

  @Test
  void extraHeadersFollowPostroomsOwnInTheJobsOrder() {
    MailMessage message = compose(Jobs.full());

    // names() is sorted; the entries keep the order they are written in
    assertThat(message.getHeaders().entries()).extracting(Map.Entry::getKey)
        .containsExactly("Message-ID", "Reply-To", "X-Campaign", "List-Unsubscribe");
  }

  @Test
  void aNonAsciiExtraHeaderIsEncoded() {
    MailMessage message = compose(Jobs.minimal().put("headers", new JsonObject().put("X-Greeting", "Grüße")));

    assertThat(message.getHeaders().get("X-Greeting")).isEqualTo("=?UTF-8?B?R3LDvMOfZQ==?=");
  }

  @Test
  void theTextBodyGetsCanonicalLineEndings() {
    MailMessage message = compose(Jobs.minimal().put("text", "one\r\ntwo\rthree\n"));

    assertThat(message.getText()).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void theHtmlBodyGetsCanonicalLineEndings() {
    MailMessage message = compose(Jobs.minimal().put("html", "<p>one</p>\r\n<p>two</p>\r"));

    assertThat(message.getHtml()).isEqualTo("<p>one</p>\n<p>two</p>\n");
  }

  @Test
  void aJobWithoutHtmlHasNoHtmlBody() {
    assertThat(compose(Jobs.minimal()).getHtml()).isNull();
  }

  @Test
  void attachmentsCarryTheirNameContentTypeAndData() {
    MailMessage message = compose(Jobs.full());

    assertThat(message.getAttachment()).singleElement().satisfies(attachment -> {
      assertThat(attachment.getName()).isEqualTo("r.pdf");
      assertThat(attachment.getContentType()).isEqualTo("application/pdf");
      assertThat(attachment.getData().getBytes()).isEqualTo("%PDF-1.4".getBytes(StandardCharsets.UTF_8));
    });
  }

  @Test
  void attachmentsAreSentAsAttachmentsNotInline() {
    MailMessage message = compose(Jobs.full());

    assertThat(message.getAttachment()).extracting(MailAttachment::getDisposition).containsExactly("attachment");
  }

  @Test
  void attachmentsKeepTheJobsOrder() {
    JsonArray files = new JsonArray()
        .add(new JsonObject().put("filename", "a.txt").put("contentType", "text/plain").put("data", "YQ=="))
        .add(new JsonObject().put("filename", "b.csv").put("contentType", "text/csv").put("data", "Yg=="));

    MailMessage message = compose(Jobs.minimal().put("attachments", files));

    assertThat(message.getAttachment()).extracting(MailAttachment::getName).containsExactly("a.txt", "b.csv");
  }

  @Test
  void aJobWithoutAttachmentsHasNone() {
    assertThat(compose(Jobs.minimal()).getAttachment()).isNullOrEmpty();
  }

  private static JsonObject jobFor(int toCount, int ccCount) {
    JsonArray to = new JsonArray();
    for (int i = 0; i < toCount; i++) {
      to.add("to" + i + "@example.org");
    }
    JsonArray cc = new JsonArray();
    for (int i = 0; i < ccCount; i++) {
      cc.add("cc" + i + "@example.org");
    }
    return Jobs.minimal().put("to", to).put("cc", cc);
  }

  @Test
  void aJobOfAHundredRecipientsIsOneTransaction() {
    assertThat(MessageComposer.transactions(Jobs.job(jobFor(60, 40)), MESSAGE_ID)).hasSize(1)
        .first().satisfies(message -> assertThat(message.getTo()).hasSize(60));
  }

  @Test
  void aLargerJobIsOneTransactionPerHundredRecipients() {
    List<MailMessage> transactions = MessageComposer.transactions(Jobs.job(jobFor(150, 100)), MESSAGE_ID);

    assertThat(transactions).extracting(message -> message.getBcc().size()).containsExactly(100, 100, 50);
    assertThat(transactions).flatExtracting(MailMessage::getBcc).doesNotHaveDuplicates().hasSize(250);
  }

  @Test
  void everyTransactionOfALargeJobCarriesTheSameHeadersNamingEveryToAndCcRecipient() {
    List<MailMessage> transactions = MessageComposer.transactions(Jobs.job(jobFor(150, 100)), MESSAGE_ID);

    assertThat(transactions).allSatisfy(message -> {
      assertThat(message.getTo()).isNull();
      assertThat(message.getHeaders().get("Message-ID")).isEqualTo(MESSAGE_ID);
      assertThat(message.getHeaders().get("To").split(",")).hasSize(150);
      assertThat(message.getHeaders().get("Cc").split(",")).hasSize(100);
      assertThat(message.getHeaders().get("To").lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(998));
    });
  }
}
