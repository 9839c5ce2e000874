package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.postroom.contract.ErrorCode;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which dead letters a re-drive selects, by code and by the time they were dead-lettered. */
class RedriveRequestTest {
  private static final Instant NINE = Instant.parse("2026-11-22T09:00:00Z");
  private static final Instant TEN = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant ELEVEN = Instant.parse("2026-11-22T11:00:00Z");

  private static RedriveRequest codes(ErrorCode... codes) {
    return new RedriveRequest(Set.of(codes), null, null, false);
  }

  private static RedriveRequest between(Instant since, Instant until) {
    return new RedriveRequest(Set.of(), since, until, false);
  }

  @Test
  void withoutFiltersEveryDeadLetterIsSelected() {
    RedriveRequest all = new RedriveRequest(Set.of(), null, null, false);

    assertThat(all.selects("RETRIES_EXHAUSTED", TEN)).isTrue();
    assertThat(all.selects("INVALID_JSON", Instant.EPOCH)).isTrue();
  }

  @Test
  void aCodeFilterSelectsOnlyLettersWithOneOfItsCodes() {
    RedriveRequest request = codes(ErrorCode.RETRIES_EXHAUSTED, ErrorCode.EXPIRED);

    assertThat(request.selects("RETRIES_EXHAUSTED", TEN)).isTrue();
    assertThat(request.selects("EXPIRED", TEN)).isTrue();
    assertThat(request.selects("INVALID_JSON", TEN)).isFalse();
  }

  @Test
  void aLetterWithoutACodeIsSelectedOnlyWhenNoCodeIsAskedFor() {
    assertThat(codes().selects(null, TEN)).isTrue();
    assertThat(codes(ErrorCode.RETRIES_EXHAUSTED).selects(null, TEN)).isFalse();
  }

  @Test
  void aCodeThisVersionDoesNotKnowIsSelectedOnlyWhenNoCodeIsAskedFor() {
    assertThat(codes().selects("SOMETHING_NEW", TEN)).isTrue();
    assertThat(codes(ErrorCode.RETRIES_EXHAUSTED).selects("SOMETHING_NEW", TEN)).isFalse();
  }

  @Test
  void sinceIsInclusive() {
    RedriveRequest request = between(TEN, null);

    assertThat(request.selects("EXPIRED", TEN)).isTrue();
    assertThat(request.selects("EXPIRED", TEN.minusMillis(1))).isFalse();
    assertThat(request.selects("EXPIRED", ELEVEN)).isTrue();
  }

  @Test
  void untilIsExclusive() {
    RedriveRequest request = between(null, TEN);

    assertThat(request.selects("EXPIRED", TEN.minusMillis(1))).isTrue();
    assertThat(request.selects("EXPIRED", TEN)).isFalse();
    assertThat(request.selects("EXPIRED", NINE)).isTrue();
  }

  @Test
  void sinceAndUntilTogetherSelectTheHalfOpenRange() {
    RedriveRequest request = between(NINE, ELEVEN);

    assertThat(request.selects("EXPIRED", NINE.minusSeconds(1))).isFalse();
    assertThat(request.selects("EXPIRED", NINE)).isTrue();
    assertThat(request.selects("EXPIRED", TEN)).isTrue();
    assertThat(request.selects("EXPIRED", ELEVEN)).isFalse();
  }

  @Test
  void codeAndTimeMustBothMatch() {
    RedriveRequest request = new RedriveRequest(Set.of(ErrorCode.RETRIES_EXHAUSTED), TEN, null, false);

    assertThat(request.selects("RETRIES_EXHAUSTED", ELEVEN)).isTrue();
    assertThat(request.selects("RETRIES_EXHAUSTED", NINE)).isFalse();
    assertThat(request.selects("EXPIRED", ELEVEN)).isFalse();
  }

  @Test
  void anEmptyTimeRangeIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> between(TEN, TEN));
    assertThatIllegalArgumentException().isThrownBy(() -> between(ELEVEN, TEN));
  }
}
