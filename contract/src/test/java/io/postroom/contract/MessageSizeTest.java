package io.postroom.contract;

import static io.postroom.contract.Jobs.minimal;
import static io.postroom.contract.Jobs.validate;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MessageSizeTest {
  private static final int MB = 1024 * 1024;

  private static long bodySize(String text) {
    return new MessageSize().body(text).bytes() - new MessageSize().body("").bytes();
  }

  @Test
  void attachmentCountsAsBase64WithLineBreaks() {
    long plain = validate(minimal()).job().estimatedSize();
    String data = Base64.getEncoder().encodeToString(new byte[3 * MB]);

    long withFile = validate(minimal().put("attachments", new JsonArray().add(Jobs.attachment("f.bin", data))))
        .job().estimatedSize();

    long base64WithLineBreaks = 4L * MB + (4L * MB / 76 + 1) * 2;
    assertThat(withFile - plain).isBetween(base64WithLineBreaks, base64WithLineBreaks + 1_024);
  }

  @Test
  void plainAsciiTextCountsOnceWithSoftLineBreaks() {
    assertThat(bodySize("a".repeat(750))).isBetween(750L, 750L + 10 * 3 + 2);
  }

  @Test
  void nonAsciiTextCountsThreeBytesPerEncodedByte() {
    assertThat(bodySize("ü".repeat(100))).isGreaterThanOrEqualTo(600L);
  }

  @Test
  void equalsSignCountsAsEncoded() {
    assertThat(bodySize("=".repeat(25))).isEqualTo(bodySize("a".repeat(75)));
  }

  @Test
  void eachLineEndsInCrLf() {
    assertThat(bodySize("a\nb\r\nc")).isEqualTo(bodySize("abc") + 2 * 2);
  }

  @Test
  void sizesAreDescribedInHumanUnits() {
    assertThat(MessageSize.describe(512)).isEqualTo("512 bytes");
    assertThat(MessageSize.describe(12_595)).isEqualTo("12.3 KB");
    assertThat(MessageSize.describe(JobValidator.DEFAULT_MAX_MESSAGE_BYTES)).isEqualTo("35.0 MB");
  }

  @Test
  void messageAboveTheRelayLimitIsTooLargeGivingBothSizes() {
    String data = Base64.getEncoder().encodeToString(new byte[30 * MB]);

    Validation v = validate(minimal().put("attachments", new JsonArray().add(Jobs.attachment("big.bin", data))));

    assertThat(v.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(v.message()).matches("the message is about 41\\.1 MB, above the relay's limit of 35\\.0 MB: .*");
    assertThat(v.id()).isEqualTo("order-4711-confirmation");
  }

  @Test
  void smallLimitIsHonoured() {
    JobValidator small = new JobValidator(10_000);
    String data = Base64.getEncoder().encodeToString(new byte[20_000]);

    Validation v = small.validate(minimal().put("attachments", new JsonArray().add(Jobs.attachment("f.bin", data))));

    assertThat(v.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(v.message()).contains("KB").contains("limit of 9.8 KB");
  }

  @Test
  void tooLargeIsReportedBesideOtherFaults() {
    JobValidator small = new JobValidator(10_000);
    String data = Base64.getEncoder().encodeToString(new byte[20_000]);

    Validation v = small.validate(minimal().put("subject", "a\nb")
        .put("attachments", new JsonArray().add(Jobs.attachment("f.bin", data))));

    assertThat(v.violations()).extracting(Violation::code)
        .containsExactly(ErrorCode.HEADER_INJECTION, ErrorCode.TOO_LARGE);
  }

  @Test
  void jobJustBelowTheLimitIsValid() {
    long size = validate(minimal()).job().estimatedSize();

    assertThat(new JobValidator(size).validate(minimal()).valid()).isTrue();
    assertThat(new JobValidator(size - 1).validate(minimal()).code()).isEqualTo(ErrorCode.TOO_LARGE);
  }
}
