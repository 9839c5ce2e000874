package io.postroom.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.cli.CommandRun;
import io.postroom.loadtest.baseline.BaselineOptions.Client;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BaselineOptionsTest {
  @TempDir
  Path dir;
  private Path passwordFile;
  private Path pem;

  @BeforeEach
  void files() throws Exception {
    passwordFile = Files.writeString(dir.resolve("password"), "secret\n");
    pem = Files.writeString(dir.resolve("ca.pem"), "not really a certificate\n");
  }

  private List<String> valid() {
    return new ArrayList<>(List.of("--client", "jakarta", "--host", "relay.example.gov.in", "--port", "587",
        "--username", "postroom", "--password-file", passwordFile.toString(), "--trust-pem", pem.toString(),
        "--messages", "1000"));
  }

  private List<String> without(String option) {
    List<String> args = valid();
    int at = args.indexOf(option);
    args.remove(at + 1);
    args.remove(at);
    return args;
  }

  private List<String> with(String option, String value) {
    List<String> args = valid();
    int at = args.indexOf(option);
    if (at >= 0) {
      args.set(at + 1, value);
    } else {
      args.add(option);
      args.add(value);
    }
    return args;
  }

  private static BaselineOptions parse(List<String> args) {
    return CommandRun.parsed(new BaselineMain(), args.toArray(String[]::new)).options();
  }

  private static String refusal(List<String> args) {
    return CommandRun.refusal(new BaselineMain(), args.toArray(String[]::new));
  }

  @Test
  void readsTheRequiredOptionsAndDefaultsTheRest() {
    BaselineOptions options = parse(valid());

    assertThat(options.client()).isEqualTo(Client.JAKARTA);
    assertThat(options.host()).isEqualTo("relay.example.gov.in");
    assertThat(options.port()).isEqualTo(587);
    assertThat(options.username()).isEqualTo("postroom");
    assertThat(options.passwordFile()).isEqualTo(passwordFile);
    assertThat(options.trustPem()).isEqualTo(pem);
    assertThat(options.messages()).isEqualTo(1000);
    assertThat(options.size()).isEqualTo(1024);
    assertThat(options.connections()).isEqualTo(8);
    assertThat(options.maxSeconds()).isZero();
    assertThat(options.runId()).matches("[0-9a-z]+");
  }

  @Test
  void readsEveryOptionAlsoAfterAnEqualsSign() {
    BaselineOptions options = parse(List.of("--client=jakarta-per-message", "--host=localhost",
        "--port=2525", "--username=u", "--password-file=" + passwordFile, "--trust-pem=" + pem,
        "--messages=20_000", "--size=4096", "--connections=16", "--run-id=bench-42", "--max-seconds=20"));

    assertThat(options).isEqualTo(new BaselineOptions(Client.JAKARTA_PER_MESSAGE, "localhost", 2525, "u",
        passwordFile, pem, 20_000, 4096, 16, "bench-42", 20));
  }

  @ParameterizedTest
  @CsvSource({"vertx, VERTX", "jakarta, JAKARTA", "jakarta-per-message, JAKARTA_PER_MESSAGE"})
  void knowsTheThreeClients(String name, Client client) {
    assertThat(parse(with("--client", name)).client()).isEqualTo(client);
    assertThat(client.option()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--client", "--host", "--port", "--username", "--password-file", "--trust-pem", "--messages"})
  void aMissingRequiredOptionIsNamed(String option) {
    assertThat(refusal(without(option))).startsWith("postroom bench baseline: missing required option " + option);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--client|javamail",
      "--port|0",
      "--port|65536",
      "--port|smtp",
      "--messages|0",
      "--messages|10000001",
      "--size|0",
      "--connections|0",
      "--connections|1001",
      "--max-seconds|0",
      "--max-seconds|-5",
      "--max-seconds|soon",
      "--run-id|has space",
      "--run-id|a@b",
      "--password-file|/no/such/file",
      "--trust-pem|/no/such/file.pem",
      "--host|' '"})
  void aBadValueIsNamed(String option, String value) {
    assertThat(refusal(with(option, value))).startsWith("postroom bench baseline: invalid value for " + option + ": ");
  }

  @Test
  void anUnknownOptionOrAMissingValueIsNamed() {
    List<String> unknown = valid();
    unknown.addAll(List.of("--threads", "4"));
    assertThat(refusal(unknown)).startsWith("postroom bench baseline: unknown option").contains("'--threads'");

    List<String> noValue = valid();
    noValue.add("--size");
    assertThat(refusal(noValue)).startsWith("postroom bench baseline: --size needs a value");
  }

  @Test
  void thePasswordIsTheFileWithoutItsLineEnd() throws Exception {
    assertThat(Baseline.password(Files.writeString(dir.resolve("a"), "s3cret pass\n"))).isEqualTo("s3cret pass");
    assertThat(Baseline.password(Files.writeString(dir.resolve("b"), "s3cret\r\n"))).isEqualTo("s3cret");
    assertThat(Baseline.password(Files.writeString(dir.resolve("c"), " s3cret "))).isEqualTo(" s3cret ");
    assertThatThrownBy(() -> Baseline.password(Files.writeString(dir.resolve("d"), "\n")))
        .hasMessageStartingWith("--password-file:");
  }

  @Test
  void aTrustPemWithoutCertificatesIsABadArgument() {
    assertThatThrownBy(() -> Baseline.run(parse(valid())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--trust-pem:");
  }

  @Test
  void theProgramExitsWith2AndNamesTheOptionOnStderr() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = BaselineMain.run(with("--connections", "many").toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--connections").contains("not a whole number");
  }

  @Test
  void theWarmUpIsZeroUnlessGiven() {
    assertThat(parse(valid()).warmup()).isZero();
    assertThat(parse(with("--warmup", "500")).warmup()).isEqualTo(500);
  }

  @Test
  void theKafkaCeilingNeedsItsBrokerAndTopics() {
    List<String> ceiling = with("--client", "kafka-ceiling");

    assertThat(refusal(ceiling)).startsWith("postroom bench baseline: --bootstrap, --jobs-topic, --status-topic:"
        + " required for kafka-ceiling");

    List<String> complete = new java.util.ArrayList<>(ceiling);
    complete.addAll(List.of("--bootstrap", "127.0.0.1:9092", "--jobs-topic", "jobs", "--status-topic", "status"));
    BaselineOptions options = parse(complete);
    assertThat(options.client()).isEqualTo(BaselineOptions.Client.KAFKA_CEILING);
    assertThat(options.kafka()).isEqualTo(new BaselineOptions.KafkaTopics("127.0.0.1:9092", "jobs", "status"));
  }
}
