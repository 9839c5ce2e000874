package io.postroom.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.loadtest.baseline.BaselineOptions.Client;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The three baselines against the testkit's relay: STARTTLS required, TLS 1.2+, AUTH required. No
 * timing is asserted, only what was sent and how.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class BaselineTest {
  private static final String USER = "postroom";
  private static final String PASSWORD = "correct horse battery staple";
  private static final int CONNECTIONS = 4;
  private static final String RUN_ID = "t42";

  @TempDir
  Path dir;
  private Vertx vertx;
  private SmtpRelay relay;
  private Path passwordFile;

  @BeforeEach
  void startRelay(Vertx vertx) throws Exception {
    this.vertx = vertx;
    relay = start(SmtpRelay.Options.builder().certificates(Certificates.localhost()).user(USER, PASSWORD).build());
    passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
  }

  private SmtpRelay start(SmtpRelay.Options options) {
    return new SmtpRelay(options).start(vertx).await();
  }

  private BaselineOptions options(Client client, int messages) {
    return new BaselineOptions(client, "localhost", relay.port(), USER, passwordFile,
        Certificates.localhost().caPem(), messages, 1024, CONNECTIONS, RUN_ID, 0);
  }

  @Test
  void theVertxMailClientSendsEveryMessageOnceOverItsPool() {
    sendsEveryMessageOnce(Client.VERTX, 200);
    assertThat(relay.connections()).isBetween(1, CONNECTIONS);
  }

  @Test
  void jakartaMailSendsEveryMessageOnceOverOneConnectionPerThread() {
    sendsEveryMessageOnce(Client.JAKARTA, 200);
    assertThat(relay.connections()).isBetween(1, CONNECTIONS);
  }

  @Test
  void jakartaMailPerMessageSendsEveryMessageOnceOnItsOwnConnection() {
    sendsEveryMessageOnce(Client.JAKARTA_PER_MESSAGE, 20);
    assertThat(relay.connections()).isEqualTo(20);
    assertThat(relay.transcript()).filteredOn(command -> command.verb().equals("QUIT")).hasSize(20);
  }

  private void sendsEveryMessageOnce(Client client, int count) {
    BaselineResult result = Baseline.run(options(client, count));

    assertThat(result.client()).isEqualTo(client.option());
    assertThat(result.firstError()).isNull();
    assertThat(result.sent()).isEqualTo(count);
    assertThat(result.failed()).isZero();
    assertThat(result.exitCode()).isZero();
    assertThat(result.messages()).isEqualTo(count);
    assertThat(result.connections()).isEqualTo(CONNECTIONS);
    assertThat(result.perSecond().stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
    assertThat(result.latencyMillis().p50()).isNotNull().isPositive();
    assertThat(result.latencyMillis().p99()).isGreaterThanOrEqualTo(result.latencyMillis().p95())
        .isGreaterThanOrEqualTo(result.latencyMillis().p50());
    assertThat(result.cpuMicrosPerMessage()).isNotNull().isPositive();
    assertThat(result.seconds()).isPositive();
    assertThat(result.messagesPerSecond()).isPositive();

    assertThat(relay.count()).isEqualTo(count);
    assertThat(relay.distinctMessageIds()).hasSize(count).isEqualTo(IntStream.range(0, count)
        .mapToObj(i -> new BenchMessage(RUN_ID, i, 1024).messageId()).collect(Collectors.toSet()));
    assertThat(relay.authSeenInClear()).isFalse();
    assertThat(relay.mailSeenInClear()).isFalse();
    assertThat(relay.transcript()).extracting(SmtpRelay.Command::verb).contains("STARTTLS", "AUTH");
    assertThat(relay.received()).allSatisfy(mail -> {
      assertThat(mail.tls()).isTrue();
      assertThat(mail.user()).isEqualTo(USER);
      assertThat(mail.from()).isEqualTo("noreply@example.gov.in");
    });

    Map<String, ReceivedMail> byRecipient = relay.received().stream()
        .collect(Collectors.toMap(mail -> mail.recipients().get(0), Function.identity()));
    for (int i = 0; i < count; i++) {
      BenchMessage expected = new BenchMessage(RUN_ID, i, 1024);
      ReceivedMail mail = byRecipient.get(expected.to());
      assertThat(mail).as("message %d", i).isNotNull();
      assertThat(mail.recipients()).containsExactly(expected.to());
      Raw raw = Raw.of(mail);
      assertThat(raw.headers("Message-ID")).as("message %d", i).containsExactly(expected.messageId());
      assertThat(raw.headers("Subject")).containsExactly(expected.subject());
      assertThat(raw.headers("To")).containsExactly(expected.to());
      assertThat(raw.headers("From")).containsExactly(BenchMessage.FROM);
      assertThat(raw.headers("X-Campaign")).containsExactly(expected.campaign());
      assertThat(raw.headers("Content-Type")).singleElement().asString().startsWith("text/plain");
      assertThat(raw.headers("Content-Transfer-Encoding")).containsExactly("7bit");
      assertThat(raw.body().stripTrailing()).isEqualTo(expected.text().stripTrailing());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Client.class, names = "KAFKA_CEILING", mode = EnumSource.Mode.EXCLUDE)
  void aWrongPasswordIsReportedAsAFailureWithoutTheRelayGettingMail(Client client) throws Exception {
    Files.writeString(passwordFile, "not the password\n");

    BaselineResult result = Baseline.run(options(client, 200));

    assertThat(result.failed()).isPositive().isLessThanOrEqualTo(2 * CONNECTIONS);
    assertThat(result.sent()).isZero();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.firstError()).contains("535").containsIgnoringCase("credentials")
        .doesNotContain("not the password").doesNotContain(PASSWORD);
    assertThat(result.cpuMicrosPerMessage()).isNull();
    assertThat(result.latencyMillis().p50()).isNull();
    assertThat(relay.count()).isZero();
    assertThat(relay.authSeenInClear()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = Client.class, names = "KAFKA_CEILING", mode = EnumSource.Mode.EXCLUDE)
  void aCertificateForAnotherHostGetsNeitherCredentialsNorMail(Client client) throws Exception {
    Certificates wrongHost = Certificates.create(dir.resolve("wrong-host"), "wrong.example");
    SmtpRelay impostor = start(SmtpRelay.Options.builder().certificates(wrongHost).user(USER, PASSWORD).build());
    // its CA is trusted: only hostname verification can refuse it
    BaselineOptions options = new BaselineOptions(client, "localhost", impostor.port(), USER, passwordFile,
        wrongHost.caPem(), 50, 1024, CONNECTIONS, RUN_ID, 0);

    BaselineResult result = Baseline.run(options);

    assertThat(result.failed()).isPositive();
    assertThat(result.sent()).isZero();
    assertThat(result.firstError()).isNotBlank();
    assertThat(impostor.transcript()).extracting(SmtpRelay.Command::verb).contains("STARTTLS")
        .doesNotContain("AUTH", "MAIL");
    assertThat(impostor.count()).isZero();
  }

  @Test
  void theProgramPrintsOneJsonLineWithTheMeasurements() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = {"--client", "vertx", "--host", "localhost", "--port", Integer.toString(relay.port()),
        "--username", USER, "--password-file", passwordFile.toString(),
        "--trust-pem", Certificates.localhost().caPem().toString(), "--messages", "30", "--size", "2000",
        "--connections", "2", "--run-id", "main1"};

    int code = BaselineMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(stdout).endsWith("\n").doesNotContain(PASSWORD);
    assertThat(stdout.strip().lines()).hasSize(1);
    JsonObject json = new JsonObject(stdout);
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("client", "connections", "messages", "sent", "failed",
        "firstError", "seconds", "messagesPerSecond", "cpuMicrosPerMessage", "latencyMillis", "perSecond", "warmup",
        "warmupSent", "busyCores");
    assertThat(json.getString("client")).isEqualTo("vertx");
    assertThat(json.getInteger("connections")).isEqualTo(2);
    assertThat(json.getInteger("messages")).isEqualTo(30);
    assertThat(json.getInteger("sent")).isEqualTo(30);
    assertThat(json.getInteger("failed")).isZero();
    assertThat(json.containsKey("firstError")).isTrue();
    assertThat(json.getString("firstError")).isNull();
    assertThat(json.getJsonObject("latencyMillis").fieldNames()).containsExactlyInAnyOrder("p50", "p95", "p99");
    assertThat(json.getJsonArray("perSecond").stream().mapToInt(n -> ((Number) n).intValue()).sum()).isEqualTo(30);
    assertThat(relay.distinctMessageIds()).hasSize(30);
    assertThat(relay.received()).allSatisfy(mail -> {
      int i = Integer.parseInt(mail.recipients().get(0).replaceAll("\\D", ""));
      assertThat(Raw.of(mail).body().stripTrailing())
          .isEqualTo(new BenchMessage("main1", i, 2000).text().stripTrailing());
    });
  }

  @Test
  void aTimeBoxStopsStartingMessagesAndIsNoFailure() {
    BaselineResult result = Baseline.run(options(Client.JAKARTA_PER_MESSAGE, 100_000).withMaxSeconds(0.5));

    assertThat(result.failed()).isZero();
    assertThat(result.sent()).isPositive().isLessThan(100_000);
    assertThat(result.timeBoxed()).isTrue();
    assertThat(result.exitCode()).isZero();
    assertThat(relay.count()).isEqualTo(result.sent());
  }

  /** A received message's header fields (unfolded) and body. */
  private record Raw(List<String[]> fields, String body) {
    static Raw of(ReceivedMail mail) {
      String text = mail.text();
      int end = text.indexOf("\r\n\r\n");
      List<String[]> fields = new ArrayList<>();
      for (String line : text.substring(0, end).replaceAll("\r\n[ \t]+", " ").split("\r\n")) {
        int colon = line.indexOf(':');
        fields.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
      }
      return new Raw(fields, text.substring(end + 4));
    }

    List<String> headers(String name) {
      return fields.stream().filter(field -> field[0].equalsIgnoreCase(name)).map(field -> field[1]).toList();
    }
  }
}
