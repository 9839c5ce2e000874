package io.postroom.api.suppressions;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionStoreTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  @TempDir
  Path dir;
  private SuppressionStore store;

  @BeforeEach
  void open() {
    store = new SuppressionStore(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static SuppressionStore.Record put(Suppression s) {
    return new SuppressionStore.Record(s.key(), s.toJson().encode().getBytes(StandardCharsets.UTF_8));
  }

  private static Suppression of(String address, String stream) {
    return new Suppression("billing", address, stream, SuppressionReason.UNSUBSCRIBED, AT, "one-click");
  }

  @Test
  void aStreamsSuppressionCoversThatStreamAndATenantWideOneCoversEvery() {
    store.apply(List.of(put(of("a@example.org", "statements")), put(of("b@example.org", "*"))));

    assertThat(store.covering("billing", "statements", "a@example.org")).isPresent();
    assertThat(store.covering("billing", "news", "a@example.org")).isEmpty();
    assertThat(store.covering("billing", "news", "b@example.org")).contains(of("b@example.org", "*"));
    assertThat(store.covering("alerts", "news", "b@example.org")).isEmpty();
  }

  @Test
  void aTombstoneLiftsTheSuppressionAndItsIndexEntry() {
    store.apply(List.of(put(of("a@example.org", "statements"))));
    store.apply(List.of(new SuppressionStore.Record("billing|statements|a@example.org", null)));

    assertThat(store.get("billing", "statements", "a@example.org")).isEmpty();
    assertThat(store.list("billing", new SuppressionStore.Filter("a@example.org", null, null), null, 10, 100)
        .suppressions()).isEmpty();
  }

  @Test
  void aRecordThatIsNotASuppressionIsSkippedAndTheOthersApplied() {
    List<String> skipped = store.apply(List.of(new SuppressionStore.Record("billing|*|x@example.org",
        "{\"nope\": 1}".getBytes(StandardCharsets.UTF_8)), put(of("a@example.org", "*")),
        new SuppressionStore.Record("no key", null), new SuppressionStore.Record("billing|*|y@example.org",
        "not json".getBytes(StandardCharsets.UTF_8))));

    assertThat(skipped).hasSize(2);
    assertThat(store.get("billing", "*", "a@example.org")).isPresent();
    assertThat(store.get("billing", "*", "x@example.org")).isEmpty();
    assertThat(store.list("billing", SuppressionStore.Filter.NONE, null, 10, 100).suppressions())
        .containsExactly(of("a@example.org", "*"));
  }

  @Test
  void openingTheStoreStartsEmptyBecauseTheTopicIsReadAgain() {
    store.apply(List.of(put(of("a@example.org", "*"))));
    store.close();
    store = new SuppressionStore(dir);

    assertThat(store.get("billing", "*", "a@example.org")).isEmpty();
  }

  @Test
  void aFilterThatMatchesLittleAnswersAShortPageWithACursorRatherThanScanOn() {
    for (int i = 0; i < 50; i++) {
      store.apply(List.of(put(of("a" + i + "@example.org", "*"))));
    }
    SuppressionStore.Filter complaints = new SuppressionStore.Filter(null, null, SuppressionReason.COMPLAINT);

    SuppressionStore.Page page = store.list("billing", complaints, null, 10, 20);
    assertThat(page.suppressions()).isEmpty();
    assertThat(page.next()).isNotNull();
    assertThat(store.list("billing", complaints, page.next(), 10, 100).next()).isNull();
  }
}
