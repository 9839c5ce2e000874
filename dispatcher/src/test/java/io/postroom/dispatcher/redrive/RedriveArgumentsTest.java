package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.ErrorCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedriveArgumentsTest {

  private static RedriveRequest parse(String... args) {
    return RedriveArguments.parse(List.of(args));
  }

  @Test
  void withoutArgumentsEveryCodeAndEveryTimeIsSelectedAndPublished() {
    RedriveRequest request = parse();

    assertThat(request.codes()).isEmpty();
    assertThat(request.since()).isNull();
    assertThat(request.until()).isNull();
    assertThat(request.dryRun()).isFalse();
  }

  @Test
  void codesAreSeparatedByCommas() {
    assertThat(parse("--code", "RETRIES_EXHAUSTED,EXPIRED").codes())
        .containsExactlyInAnyOrder(ErrorCode.RETRIES_EXHAUSTED, ErrorCode.EXPIRED);
  }

  @Test
  void repeatedCodeOptionsAddUp() {
    assertThat(parse("--code", "RETRIES_EXHAUSTED", "--code", "INVALID_JSON").codes())
        .containsExactlyInAnyOrder(ErrorCode.RETRIES_EXHAUSTED, ErrorCode.INVALID_JSON);
  }

  @Test
  void codesAreReadWhateverTheirCase() {
    assertThat(parse("--code", "retries_exhausted").codes()).containsExactly(ErrorCode.RETRIES_EXHAUSTED);
  }

  @Test
  void anUnknownCodeNamesTheArgumentAndTheKnownCodes() {
    assertThatThrownBy(() -> parse("--code", "RETRIES_EXHAUSTED,TIMEOUT"))
        .isInstanceOf(ArgumentException.class)
        .hasMessageStartingWith("--code: 'TIMEOUT' is not one of INVALID_JSON, ")
        .hasMessageContaining("RETRIES_EXHAUSTED, EXPIRED");
  }

  @Test
  void anEmptyCodeIsRefused() {
    assertThatThrownBy(() -> parse("--code", "EXPIRED,,INVALID_JSON"))
        .hasMessageStartingWith("--code: 'EXPIRED,,INVALID_JSON' has an empty code");
  }

  @Test
  void sinceAndUntilAreIsoInstants() {
    RedriveRequest request = parse("--since", "2026-11-22T10:00:00Z", "--until", "2026-11-22T12:30:00.5Z");

    assertThat(request.since()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    assertThat(request.until()).isEqualTo(Instant.parse("2026-11-22T12:30:00.500Z"));
  }

  @Test
  void aValueMayFollowItsOptionAfterAnEqualsSign() {
    RedriveRequest request = parse("--code=EXPIRED", "--since=2026-11-22T10:00:00Z");

    assertThat(request.codes()).containsExactly(ErrorCode.EXPIRED);
    assertThat(request.since()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @Test
  void aTimeThatIsNotAnInstantNamesTheArgumentAndShowsTheForm() {
    assertThatThrownBy(() -> parse("--since", "2026-11-22"))
        .isInstanceOf(ArgumentException.class)
        .hasMessage("--since: '2026-11-22' is not an ISO-8601 instant such as 2026-11-22T10:00:00Z");
  }

  @Test
  void untilMustBeLaterThanSince() {
    assertThatThrownBy(() -> parse("--since", "2026-11-22T10:00:00Z", "--until", "2026-11-22T10:00:00Z"))
        .hasMessage("--until: 2026-11-22T10:00:00Z is not later than --since 2026-11-22T10:00:00Z");
  }

  @Test
  void sinceGivenTwiceIsRefused() {
    assertThatThrownBy(() -> parse("--since", "2026-11-22T10:00:00Z", "--since", "2026-11-23T10:00:00Z"))
        .hasMessageStartingWith("--since: given twice");
  }

  @Test
  void anOptionWithoutItsValueNamesTheOption() {
    assertThatThrownBy(() -> parse("--until")).hasMessage("--until: needs a value");
  }

  @Test
  void anOptionFollowedByAnotherOptionIsMissingItsValue() {
    assertThatThrownBy(() -> parse("--code", "--dry-run")).hasMessage("--code: needs a value");
  }

  @Test
  void dryRunAsksForADryRun() {
    assertThat(parse("--dry-run").dryRun()).isTrue();
  }

  @Test
  void dryRunTakesNoValue() {
    assertThatThrownBy(() -> parse("--dry-run=yes")).hasMessage("--dry-run: takes no value, got 'yes'");
  }

  @Test
  void anUnknownArgumentIsNamedWithTheOptionsThereAre() {
    assertThatThrownBy(() -> parse("--topic", "mail.jobs.dlq"))
        .isInstanceOf(ArgumentException.class)
        .hasMessage("--topic: unknown argument; the options are --code, --since, --until, --dry-run")
        .extracting(e -> ((ArgumentException) e).argument()).isEqualTo("--topic");
  }
}
