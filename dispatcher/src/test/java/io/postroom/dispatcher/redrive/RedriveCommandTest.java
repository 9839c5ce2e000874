package io.postroom.dispatcher.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's exit codes and messages; the re-drive itself runs against a broker in the testkit. */
class RedriveCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir
  Path dir;

  private int run(Map<String, String> env, String... args) {
    return RedriveCommand.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheUsageAndExits0() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out()).startsWith("usage: bin/postroom redrive").contains("--dry-run");
  }

  @Test
  void aBadArgumentExits2WithAMessageNamingIt() {
    assertThat(run(Map.of(), "--since", "yesterday")).isEqualTo(2);
    assertThat(err()).startsWith("postroom redrive: invalid value for --since: 'yesterday' is not an ISO-8601 instant")
        .contains("try 'bin/postroom redrive --help'");
    assertThat(out()).isEmpty();
  }

  @Test
  void aConfigurationErrorExits2WithAMessageNamingTheKey() {
    assertThat(run(Map.of("POSTROOM_CONFIG", dir.resolve("missing.json").toString()))).isEqualTo(2);
    assertThat(err()).startsWith("postroom: configuration error: POSTROOM_CONFIG: cannot read ");
  }

  @Test
  void kafkaThatCannotBeReachedExits1WithinTheStartTimeoutNamingTheAddressAndItsKey() throws IOException {
    int port = closedPort();

    int exit = run(Map.of("POSTROOM_KAFKA_BOOTSTRAP", "127.0.0.1:" + port, "POSTROOM_KAFKA_START_TIMEOUT", "1s"),
        "--dry-run");

    assertThat(exit).isEqualTo(1);
    assertThat(err()).startsWith("postroom redrive: Kafka at 127.0.0.1:" + port + " did not answer within 1 s")
        .contains("check POSTROOM_KAFKA_BOOTSTRAP");
    assertThat(out()).as("nothing read, nothing reported").isEmpty();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
