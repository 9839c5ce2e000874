package io.postroom.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PriorityTest {

  @Test
  void jsonSpellingIsLowerCase() {
    assertThat(Priority.HIGH.json()).isEqualTo("high");
    assertThat(Priority.NORMAL.json()).isEqualTo("normal");
    assertThat(Priority.BULK.json()).isEqualTo("bulk");
  }

  @Test
  void readingIgnoresCase() {
    assertThat(Priority.fromJson("High")).isEqualTo(Priority.HIGH);
    assertThat(Priority.fromJson("BULK")).isEqualTo(Priority.BULK);
  }

  @Test
  void unknownPriorityIsAnIllegalArgumentListingTheChoices() {
    assertThatThrownBy(() -> Priority.fromJson("urgent")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("high, normal, bulk");
  }
}
