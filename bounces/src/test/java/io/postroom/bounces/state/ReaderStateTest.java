package io.postroom.bounces.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderStateTest {
  private static final Instant AT = Instant.parse("2026-12-02T15:00:00Z");
  @TempDir
  Path dir;

  @Test
  void aSentEventIsFoundByItsMessageIdsRefAfterAReopen() {
    StatusEvent sent = new StatusEvent("job-1", "pensions", State.SENT, 1, "<mj3k2x1a.4f7q9zk2b1c0@pensions.example>",
        "primary", 250, "2.0.0", "250 ok", List.of(), null, null, AT, "bulk-1", "c-1");
    try (ReaderState state = ReaderState.open(dir)) {
      assertThat(state.putSent(sent)).isTrue();
    }
    try (ReaderState state = ReaderState.open(dir)) {
      assertThat(state.sent("mj3k2x1a.4f7q9zk2b1c0")).contains(sent);
      assertThat(state.sent("other.ref")).isEmpty();
    }
  }

  @Test
  void aMessageIdThatIsNotPostroomsIsNotIndexed() {
    try (ReaderState state = ReaderState.open(dir)) {
      assertThat(state.putSent(new StatusEvent("job-2", "t", State.SENT, 1, "<CAF+x@mail.example>", "r", 250, null,
          null, List.of(), null, null, AT))).isFalse();
    }
  }

  @Test
  void processedReportsAndSoftBouncesAreCommittedTogetherAndOldProcessedOnesForgotten() {
    try (ReaderState state = ReaderState.open(dir)) {
      state.commit(List.of("<r1@x>"), Map.of("t|a@b.example", List.of(AT.minusSeconds(60), AT)), AT.minusSeconds(3600));
      state.commit(List.of("<r2@x>"), Map.of(), AT);

      assertThat(state.isProcessed("<r1@x>")).isTrue();
      assertThat(state.softBounces("t", "a@b.example")).containsExactly(AT.minusSeconds(60), AT);
      assertThat(state.forgetProcessedBefore(AT.minusSeconds(60))).isEqualTo(1);
      assertThat(state.isProcessed("<r1@x>")).isFalse();
      assertThat(state.isProcessed("<r2@x>")).isTrue();

      state.commit(List.of(), Map.of("t|a@b.example", List.of()), AT);
      assertThat(state.softBounces("t", "a@b.example")).isEmpty();
    }
  }
}
