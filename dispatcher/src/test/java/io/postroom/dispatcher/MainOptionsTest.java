package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.CommandRun;
import org.junit.jupiter.api.Test;

/** {@code bin/postroom dispatcher} takes no options but help and version; nothing here starts a dispatcher. */
class MainOptionsTest {

  @Test
  void helpSaysWhereTheConfigurationComesFromAndTheExitCodes() {
    CommandRun run = CommandRun.of(new Main(), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: bin/postroom dispatcher").contains("POSTROOM_CONFIG", "--help",
        "--version", "Exit codes: 0 stopped by SIGTERM/SIGINT");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void anUnknownOptionIsOneLineNamingItAndExit2() {
    assertThat(CommandRun.refusal(new Main(), "--config", "postroom.json"))
        .isEqualTo("postroom dispatcher: unknown option '--config'");
  }

  @Test
  void anArgumentIsRefusedToo() {
    assertThat(CommandRun.refusal(new Main(), "start")).startsWith("postroom dispatcher: ").contains("'start'");
  }
}
