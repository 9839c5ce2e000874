package io.postroom.loadtest.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.CommandRun;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.SmtpRelay;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code bin/postroom relay-sim}; nothing here opens a socket. */
class RelaySimulatorOptionsTest {

  @TempDir
  static Path dir;
  private static Certificates certificates;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = Certificates.create(dir, "localhost", "127.0.0.1");
  }

  private static SmtpRelay.Options relay(String... args) {
    return CommandRun.parsed(new RelaySimulator.Options(), args).relay().certificates(certificates).build();
  }

  private static String refusal(String... args) {
    return CommandRun.refusal(new RelaySimulator.Options(), args);
  }

  @Test
  void theDefaultsAreAStartTlsRelayOnPort2525OfLocalhostWithoutFaults() {
    SmtpRelay.Options relay = relay();

    assertThat(relay.host()).isEqualTo("127.0.0.1");
    assertThat(relay.port()).isEqualTo(2525);
    assertThat(relay.advertiseStartTls()).isTrue();
    assertThat(relay.implicitTls()).isFalse();
    assertThat(relay.maxSize()).isEqualTo(10L * 1024 * 1024);
    assertThat(relay.transientFraction()).isZero();
    assertThat(relay.disconnectFraction()).isZero();
  }

  @Test
  void aLatencyIsForEveryReplyOrForOneVerb() {
    SmtpRelay.Options relay = relay("--latency", "5ms", "--latency", "data=20ms");

    assertThat(relay.latency()).isEqualTo(Duration.ofMillis(5));
    assertThat(relay.commandLatency()).containsEntry("DATA", Duration.ofMillis(20));
  }

  @Test
  void aFractionAboveOneIsRefusedWithTheOptionsName() {
    assertThat(refusal("--fail-451", "2")).isEqualTo("postroom relay-sim: invalid value for --fail-451: must be from 0"
        + " to 1, got 2");
  }

  @Test
  void aLatencyThatIsNoDurationIsRefused() {
    assertThat(refusal("--latency", "DATA=soon")).startsWith("postroom relay-sim: invalid value for --latency: 'soon'"
        + " is not a duration");
  }

  @Test
  void aPortThatIsNoNumberIsRefused() {
    assertThat(refusal("--port", "smtp")).isEqualTo("postroom relay-sim: invalid value for --port: 'smtp' is not a"
        + " whole number");
  }

  @Test
  void anUnknownOptionIsRefused() {
    assertThat(refusal("--starttls")).startsWith("postroom relay-sim: unknown option '--starttls'");
  }

  @Test
  void theHelpListsTheFaults() {
    CommandRun run = CommandRun.of(new RelaySimulator.Options(), "-h");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: bin/postroom relay-sim").contains("--fail-451=FRACTION",
        "--fail-421=FRACTION", "--reject-recipients=REGEX", "--latency=DURATION|VERB=DURATION", "--refuse-after",
        "--refuse-for", "--no-starttls", "--implicit-tls", "(2525)", "(2580)");
  }
}
