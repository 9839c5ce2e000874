package io.postroom.contract;

import static io.postroom.contract.Jobs.attachment;
import static io.postroom.contract.Jobs.minimal;
import static io.postroom.contract.Jobs.validate;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AttachmentValidationTest {

  private static Validation withAttachments(JsonObject... attachments) {
    JsonArray array = new JsonArray();
    for (JsonObject a : attachments) {
      array.add(a);
    }
    return validate(minimal().put("attachments", array));
  }

  @Test
  void dataIsDecoded() {
    Validation v = withAttachments(attachment("r.pdf", Jobs.base64("%PDF-1.4")));

    assertThat(v.job().attachments()).singleElement()
        .isEqualTo(new Attachment("r.pdf", "application/pdf", "%PDF-1.4".getBytes()));
  }

  @Test
  void base64WithMimeLineBreaksIsAccepted() {
    byte[] content = new byte[300];
    String encoded = Base64.getMimeEncoder().encodeToString(content);

    Validation v = withAttachments(attachment("zeros.bin", encoded));

    assertThat(encoded).contains("\r\n");
    assertThat(v.job().attachments().get(0).data()).isEqualTo(content);
  }

  @Test
  void base64WithBareLineFeedsIsAccepted() {
    String encoded = Base64.getMimeEncoder().encodeToString(new byte[300]).replace("\r\n", "\n");

    assertThat(withAttachments(attachment("zeros.bin", encoded)).valid()).isTrue();
  }

  @Test
  void dataThatIsNotBase64IsBadAttachmentNamingTheAttachment() {
    Validation v = withAttachments(attachment("a.pdf", Jobs.base64("a")), attachment("r.pdf", "%%% not base64 %%%"));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
    assertThat(v.violations().get(0).field()).isEqualTo("attachments[1]");
    assertThat(v.message()).contains("attachments[1]").contains("r.pdf").contains("'%'");
  }

  @Test
  void spacesInsideBase64AreBadAttachment() {
    assertThat(withAttachments(attachment("r.pdf", "QUJD REVG")).code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
  }

  @Test
  void base64WithDataAfterThePaddingIsBadAttachment() {
    Validation v = withAttachments(attachment("r.pdf", "QQ==QQ=="));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
    assertThat(v.message()).contains("padding");
  }

  @Test
  void urlSafeBase64IsBadAttachment() {
    assertThat(withAttachments(attachment("r.bin", "-_-_")).code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
  }

  @Test
  void attachmentWithoutContentTypeIsBadAttachment() {
    JsonObject a = attachment("r.pdf", Jobs.base64("x"));
    a.remove("contentType");

    Validation v = withAttachments(a);

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
    assertThat(v.violations().get(0).field()).isEqualTo("attachments[0]");
    assertThat(v.message()).contains("contentType");
  }

  @Test
  void attachmentWithoutFilenameIsBadAttachment() {
    assertThat(withAttachments(attachment("", Jobs.base64("x"))).code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
  }

  @Test
  void attachmentWithoutDataIsBadAttachment() {
    JsonObject a = attachment("r.pdf", null);

    assertThat(withAttachments(a).code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
  }

  @Test
  void attachmentThatIsNotAnObjectIsBadAttachment() {
    Validation v = validate(minimal().put("attachments", new JsonArray().add("r.pdf")));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_ATTACHMENT);
    assertThat(v.violations().get(0).field()).isEqualTo("attachments[0]");
  }

  @Test
  void attachmentsThatAreNotAnArrayAreInvalidField() {
    assertThat(validate(minimal().put("attachments", attachment("r.pdf", "QQ=="))).code())
        .isEqualTo(ErrorCode.INVALID_FIELD);
  }
}
