package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedriveReportTest {

  @Test
  void thereIsOneLinePerCodeInNameOrderAndATotal() {
    RedriveReport report = new RedriveReport(false);
    report.redriven("RETRIES_EXHAUSTED");
    report.redriven("EXPIRED");
    report.redriven("RETRIES_EXHAUSTED");

    assertThat(report.lines()).containsExactly(
        "EXPIRED: 1 re-driven",
        "RETRIES_EXHAUSTED: 2 re-driven",
        "total: 3 re-driven");
  }

  @Test
  void aDryRunSaysWhatWouldBeReDrivenAndThatNothingWasPublished() {
    RedriveReport report = new RedriveReport(true);
    report.redriven("EXPIRED");

    assertThat(report.lines()).containsExactly(
        "EXPIRED: 1 would be re-driven",
        "total: 1 would be re-driven (dry run: nothing published)");
  }

  @Test
  void lettersSkippedForWantOfTheirBytesAreCountedOnTheirCodesLineAndNotInTheTotal() {
    RedriveReport report = new RedriveReport(false);
    report.redriven("TOO_LARGE");
    report.skipped("TOO_LARGE");
    report.skipped("RETRIES_EXHAUSTED");

    assertThat(report.lines()).containsExactly(
        "RETRIES_EXHAUSTED: 0 re-driven, 1 skipped: dead-lettered without their bytes (postroom-error says where the original is)",
        "TOO_LARGE: 1 re-driven, 1 skipped: dead-lettered without their bytes (postroom-error says where the original is)",
        "total: 1 re-driven");
  }

  @Test
  void lettersWithoutACodeAreCountedUnderNoCode() {
    RedriveReport report = new RedriveReport(false);
    report.redriven(null);

    assertThat(report.redriven()).containsEntry("(no code)", 1);
  }

  @Test
  void nothingSelectedIsATotalOfZero() {
    assertThat(new RedriveReport(false).lines()).containsExactly("total: 0 re-driven");
  }
}
