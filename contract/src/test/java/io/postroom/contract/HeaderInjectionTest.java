package io.postroom.contract;

import static io.postroom.contract.Jobs.minimal;
import static io.postroom.contract.Jobs.validate;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderInjectionTest {

  private static Validation withHeaders(JsonObject headers) {
    return validate(minimal().put("headers", headers));
  }

  @Test
  void crInSubjectIsHeaderInjection() {
    Validation v = validate(minimal().put("subject", "Receipt\rBcc: all@example.org"));

    assertThat(v.code()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(v.violations().get(0).field()).isEqualTo("subject");
    assertThat(v.message()).contains("\\r");
  }

  @Test
  void lfInSubjectIsHeaderInjection() {
    assertThat(validate(minimal().put("subject", "Receipt\nBcc: all@example.org")).code())
        .isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void nulInSubjectIsHeaderInjection() {
    assertThat(validate(minimal().put("subject", "Receipt\0")).code()).isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void lfInAHeaderValueIsHeaderInjection() {
    Validation v = withHeaders(new JsonObject().put("X-Campaign", "q4\nBcc: all@example.org"));

    assertThat(v.code()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(v.violations().get(0).field()).isEqualTo("headers.X-Campaign");
  }

  @Test
  void crLfInAHeaderNameIsHeaderInjection() {
    assertThat(withHeaders(new JsonObject().put("X-A\r\nBcc", "all@example.org")).code())
        .isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void lineBreakInAnAddressIsHeaderInjectionNotBadAddress() {
    Validation v = validate(minimal().put("from", "a@example.org\r\nRCPT TO:<x@example.org>"));

    assertThat(v.violations()).extracting(Violation::code).containsExactly(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void lineBreakInADisplayNameIsHeaderInjection() {
    Validation v = validate(minimal().put("cc", new JsonArray().add("Eve\nBcc: all@example.org <eve@example.org>")));

    assertThat(v.code()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(v.violations().get(0).field()).isEqualTo("cc[0]");
  }

  @Test
  void lineBreakInAnAttachmentFilenameIsHeaderInjection() {
    Validation v = validate(minimal().put("attachments", new JsonArray()
        .add(Jobs.attachment("r.pdf\r\nX-Evil: 1", Jobs.base64("x")))));

    assertThat(v.code()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(v.violations().get(0).field()).isEqualTo("attachments[0].filename");
  }

  @Test
  void lineBreakInAnAttachmentContentTypeIsHeaderInjection() {
    JsonObject attachment = Jobs.attachment("r.pdf", Jobs.base64("x")).put("contentType", "text/plain\nX-Evil: 1");

    assertThat(validate(minimal().put("attachments", new JsonArray().add(attachment))).code())
        .isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"From", "to", "CC", "Bcc", "Subject", "message-id", "Date", "Reply-To", "Sender",
      "Return-Path", "MIME-Version", "content-type", "Content-Transfer-Encoding"})
  void headersPostroomWritesCannotBeGiven(String name) {
    Validation v = withHeaders(new JsonObject().put(name, "x"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("headers." + name);
    assertThat(v.message()).contains(name);
  }

  @Test
  void headerNameWithAColonIsInvalidField() {
    assertThat(withHeaders(new JsonObject().put("X-A:B", "1")).code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void headerNameWithASpaceIsInvalidField() {
    assertThat(withHeaders(new JsonObject().put("X Campaign", "q4")).code()).isEqualTo(ErrorCode.INVALID_FIELD);
  }

  @Test
  void headerValueThatIsNotAStringIsInvalidField() {
    Validation v = withHeaders(new JsonObject().put("X-Count", 3));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("headers.X-Count");
  }

  @Test
  void nonAsciiHeaderValueIsAllowed() {
    assertThat(withHeaders(new JsonObject().put("X-Campaign", "Früherkennung")).valid()).isTrue();
  }
}
