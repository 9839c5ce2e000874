package io.postroom.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvalidJsonTest {

  private static Validation validate(byte[] bytes) {
    return Jobs.VALIDATOR.validate(bytes);
  }

  @Test
  void truncatedJsonIsInvalidJson() {
    Validation v = Jobs.validate("{\"id\": \"x\", ");

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(v.message()).contains("not valid JSON");
    assertThat(v.job()).isNull();
    assertThat(v.id()).isNull();
  }

  @Test
  void invalidUtf8IsInvalidJson() {
    Validation v = validate(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(v.message()).contains("UTF-8");
  }

  @Test
  void jsonArrayIsInvalidJson() {
    Validation v = Jobs.validate("[" + Jobs.minimal().encode() + "]");

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(v.message()).contains("not an object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "42", "\"a job\"", "true", "   ", "not json at all", "{'id': 'single quotes'}"})
  void anythingButAJsonObjectIsInvalidJson(String text) {
    assertThat(Jobs.validate(text).code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  void emptyRecordIsInvalidJson() {
    assertThat(validate(new byte[0]).code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  void nullRecordIsInvalidJson() {
    assertThat(validate(null).code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(Jobs.VALIDATOR.validate((JsonObject) null).code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  void randomBytesNeverThrow() {
    Random random = new Random(4711);
    for (int i = 0; i < 2_000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);

      assertThat(validate(garbage).valid()).isFalse();
    }
  }

  @Test
  void deeplyNestedJsonIsRefusedWithoutThrowing() {
    String nested = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);

    assertThat(validate(nested.getBytes(StandardCharsets.UTF_8)).valid()).isFalse();
  }
}
