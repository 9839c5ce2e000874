package io.postroom.loadtest.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.testkit.IntegrationTest;
import io.postroom.contract.cli.CommandRun;
import io.postroom.loadtest.baseline.Baseline;
import io.postroom.loadtest.baseline.BaselineOptions;
import io.postroom.loadtest.baseline.BaselineOptions.Client;
import io.postroom.loadtest.baseline.BaselineResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/postroom relay-sim}: a real STARTTLS + AUTH relay that counts instead of keeping, with
 * faults by option. Mail is sent to it by the raw vertx-mail-client baseline.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class RelaySimulatorTest {

  @TempDir
  Path dir;

  private RelaySimulator start(Vertx vertx, String... options) {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--http-port", "0", "--dir", dir.toString()));
    args.addAll(List.of(options));
    return RelaySimulator.start(vertx, CommandRun.parsed(new RelaySimulator.Options(), args.toArray(String[]::new)))
        .await();
  }

  private static BaselineResult send(RelaySimulator simulator, int messages, String runId) {
    return Baseline.run(new BaselineOptions(Client.VERTX, "localhost", simulator.relay().port(), simulator.user(),
        simulator.passwordFile(), simulator.trustPem(), messages, 512, 4, runId, 0));
  }

  private static JsonObject stats(Vertx vertx, RelaySimulator simulator) {
    return call(vertx, simulator, HttpMethod.GET, "/stats").toJsonObject();
  }

  private static Buffer call(Vertx vertx, RelaySimulator simulator, HttpMethod method, String path) {
    return vertx.createHttpClient().request(method, simulator.statsPort(), "127.0.0.1", path)
        .compose(request -> request.send().compose(HttpClientResponse::body)).await();
  }

  @Test
  void countsMessagesAndDistinctMessageIdsOnItsStatsEndpoint(Vertx vertx) {
    RelaySimulator simulator = start(vertx);

    assertThat(send(simulator, 50, "once").sent()).isEqualTo(50);

    JsonObject stats = stats(vertx, simulator);
    assertThat(stats.getLong("accepted")).isEqualTo(50);
    assertThat(stats.getLong("distinctMessageIds")).isEqualTo(50);
    assertThat(stats.getLong("duplicates")).isZero();
    assertThat(simulator.relay().received()).as("keeps counts, not messages").isEmpty();
  }

  @Test
  void countsAMessageIdSeenAgainAsADuplicate(Vertx vertx) {
    RelaySimulator simulator = start(vertx);

    send(simulator, 20, "same");
    send(simulator, 20, "same");

    JsonObject stats = stats(vertx, simulator);
    assertThat(stats.getLong("accepted")).isEqualTo(40);
    assertThat(stats.getLong("distinctMessageIds")).isEqualTo(20);
    assertThat(stats.getLong("duplicates")).isEqualTo(20);
  }

  @Test
  void resetZeroesTheCounts(Vertx vertx) {
    RelaySimulator simulator = start(vertx);
    send(simulator, 10, "before");

    call(vertx, simulator, HttpMethod.POST, "/reset");

    assertThat(stats(vertx, simulator).getLong("accepted")).isZero();
  }

  @Test
  void answersTheGivenFractionOfMailFromWith451(Vertx vertx) {
    RelaySimulator simulator = start(vertx, "--fail-451", "1");

    // as many as the client has connections and sends in flight: all start before the first 451 stops it
    BaselineResult result = send(simulator, 4, "later");

    assertThat(result.sent()).isZero();
    assertThat(result.firstError()).contains("451");
    assertThat(stats(vertx, simulator).getLong("transientReplies")).isEqualTo(4);
  }

  @Test
  void rejectsMatchingRecipientsWith550(Vertx vertx) {
    RelaySimulator simulator = start(vertx, "--reject-recipients", "citizen\\d+@example\\.org");

    BaselineResult result = send(simulator, 10, "nobody");

    assertThat(result.sent()).isZero();
    assertThat(result.firstError()).contains("550");
    assertThat(stats(vertx, simulator).getLong("accepted")).isZero();
  }

  @Test
  void withoutStartTlsNoMailIsTakenFromAClientThatRequiresIt(Vertx vertx) {
    RelaySimulator simulator = start(vertx, "--no-starttls");

    BaselineResult result = send(simulator, 3, "clear");

    assertThat(result.sent()).isZero();
    assertThat(stats(vertx, simulator).getLong("accepted")).isZero();
    assertThat(simulator.relay().authSeenInClear()).isFalse();
  }

  @Test
  void closesEveryConnectionInItsRefusalWindow(Vertx vertx) {
    RelaySimulator simulator = start(vertx, "--refuse-after", "1ms", "--refuse-for", "1h");

    BaselineResult result = send(simulator, 3, "down");

    assertThat(result.sent()).isZero();
    assertThat(stats(vertx, simulator).getLong("refusedConnections")).isPositive();
  }
}
