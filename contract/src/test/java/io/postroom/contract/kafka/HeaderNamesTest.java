package io.postroom.contract.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The header names DESIGN.md makes public: outside tools read them, so their spelling is pinned here. */
class HeaderNamesTest {

  @Test
  void deadLettersCarryTheReasonAndItsCodeUnderTheDesignsNames() {
    assertThat(HeaderNames.ERROR).isEqualTo("postroom-error");
    assertThat(HeaderNames.ERROR_CODE).isEqualTo("postroom-error-code");
  }

  @Test
  void statusEventsCarryTheirStateUnderTheNameTheApiAndDispatcherBothWrite() {
    assertThat(HeaderNames.STATE).isEqualTo("postroom-state");
  }
}
