package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.cli.CommandRun;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options of {@code bin/postroom redrive}; nothing here reaches Kafka. */
class RedriveOptionsTest {

  private static RedriveRequest parse(String... args) {
    return CommandRun.parsed(new RedriveCommand(Map.of()), args).request();
  }

  private static String refusal(String... args) {
    return CommandRun.refusal(new RedriveCommand(Map.of()), args);
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
  void anUnknownCodeNamesTheOptionAndTheKnownCodes() {
    assertThat(refusal("--code", "RETRIES_EXHAUSTED,TIMEOUT"))
        .startsWith("postroom redrive: invalid value for --code: 'TIMEOUT' is not one of INVALID_JSON, ")
        .contains("RETRIES_EXHAUSTED, EXPIRED");
  }

  @Test
  void anEmptyCodeIsRefused() {
    assertThat(refusal("--code", "EXPIRED,,INVALID_JSON"))
        .startsWith("postroom redrive: invalid value for --code: 'EXPIRED,,INVALID_JSON' has an empty code");
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
  void aTimeThatIsNotAnInstantNamesTheOptionAndShowsTheForm() {
    assertThat(refusal("--since", "2026-11-22")).isEqualTo(
        "postroom redrive: invalid value for --since: '2026-11-22' is not an ISO-8601 instant such as 2026-11-22T10:00:00Z");
  }

  @Test
  void untilMustBeLaterThanSince() {
    assertThat(refusal("--since", "2026-11-22T10:00:00Z", "--until", "2026-11-22T10:00:00Z")).isEqualTo(
        "postroom redrive: invalid value for --until: 2026-11-22T10:00:00Z is not later than --since 2026-11-22T10:00:00Z");
  }

  @Test
  void sinceGivenTwiceIsRefused() {
    assertThat(refusal("--since", "2026-11-22T10:00:00Z", "--since", "2026-11-23T10:00:00Z"))
        .startsWith("postroom redrive: --since").contains("only once");
  }

  @Test
  void anOptionWithoutItsValueNamesTheOption() {
    assertThat(refusal("--until")).startsWith("postroom redrive: --until needs a value");
  }

  @Test
  void anOptionFollowedByAnotherOptionIsMissingItsValue() {
    assertThat(refusal("--code", "--dry-run")).startsWith("postroom redrive: --code needs a value");
  }

  @Test
  void dryRunAsksForADryRun() {
    assertThat(parse("--dry-run").dryRun()).isTrue();
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThat(refusal("--topic", "mail.jobs.dlq")).startsWith("postroom redrive: unknown option").contains("'--topic'");
  }

  @Test
  void theHelpNamesEveryOption() {
    CommandRun run = CommandRun.of(new RedriveCommand(Map.of()), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: bin/postroom redrive")
        .contains("--code=CODE[,CODE...]", "--since=ISO-INSTANT", "--until=ISO-INSTANT", "--dry-run", "Exit codes");
  }
}
