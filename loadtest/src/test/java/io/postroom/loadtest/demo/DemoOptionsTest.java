package io.postroom.loadtest.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.CommandRun;
import org.junit.jupiter.api.Test;

/** The options of {@code bin/postroom demo}; nothing here starts the pipeline. */
class DemoOptionsTest {

  @Test
  void helpNamesTheOptionsAndTheDefaultNumberOfJobs() {
    CommandRun run = CommandRun.of(new Demo(), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: bin/postroom demo").contains("--jobs=N", "(10000)", "--keep-running");
    assertThat(run.out()).contains("--recipients=N", "(3000; 0: none)", "POST /v1/bulk");
  }

  @Test
  void bulkSendsOfFewerThan100RecipientsAreRefused() {
    assertThat(CommandRun.refusal(new Demo(), "--recipients", "10"))
        .isEqualTo("postroom demo: invalid value for --recipients: must be 0 (no bulk sends) or from 100 to 100,000,"
            + " got 10");
  }

  @Test
  void aNumberOfJobsThatIsNoNumberIsOneLineAndExit2() {
    assertThat(CommandRun.refusal(new Demo(), "--jobs", "x"))
        .isEqualTo("postroom demo: invalid value for --jobs: 'x' is not a whole number");
  }

  @Test
  void noJobsAtAllIsRefused() {
    assertThat(CommandRun.refusal(new Demo(), "--jobs", "0"))
        .isEqualTo("postroom demo: invalid value for --jobs: must be from 1 to 1,000,000, got 0");
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThat(CommandRun.refusal(new Demo(), "--keep")).startsWith("postroom demo: unknown option '--keep'");
  }
}
