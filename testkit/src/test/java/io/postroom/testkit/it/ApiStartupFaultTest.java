package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.ChildProcess;
import io.postroom.testkit.FreePort;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The api's start-up fault matrix, as {@code bin/postroom api} runs it (a child process, the real
 * broker): each fault ends it with the right exit code and one last line naming the cause and what
 * to do, within a bound; SIGTERM during the start ends it at once; {@code --help} only prints help.
 */
@IntegrationTest
class ApiStartupFaultTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private final KafkaBroker broker = KafkaBroker.shared();
  private Path dir;
  private ChildProcess child;
  private Path log;

  @BeforeEach
  void directory() throws IOException {
    dir = Files.createTempDirectory("postroom-api-start-");
  }

  @AfterEach
  void killChild() {
    if (child != null && child.isAlive()) {
      child.kill();
    }
  }

  /** The environment of an api with a config file naming {@code topics} and a free port. */
  private Map<String, String> environment(String bootstrap, Topics topics) throws IOException {
    Path config = Files.writeString(dir.resolve("api.json"), new JsonObject()
        .put("kafka", new JsonObject().put("topics", new JsonObject().put("jobs", topics.jobs())
            .put("status", topics.status())))
        .encode());
    Map<String, String> env = new HashMap<>();
    env.put("POSTROOM_CONFIG", config.toString());
    env.put("POSTROOM_KAFKA_BOOTSTRAP", bootstrap);
    env.put("POSTROOM_KAFKA_START_TIMEOUT", "3s");
    env.put("POSTROOM_API_PORT", Integer.toString(FreePort.any()));
    env.put("POSTROOM_API_STATE_DIR", dir.resolve("state").toString());
    return env;
  }

  private Map<String, String> environment() throws IOException {
    return environment(broker.bootstrapServers(), Topics.unique("api-start").create(broker, 2));
  }

  private void launch(Map<String, String> env, String... args) throws IOException {
    log = Files.createTempFile(dir, "api-", ".log");
    child = ChildProcess.start(ChildProcess.java(List.of("-Dlogback.configurationFile=logback.xml"),
        "io.postroom.api.http.ApiMain", List.of(args)), dir, log, env);
  }

  /** Waits for the exit within {@code BOUND} (killing the child otherwise); prints the matrix line. */
  private int exitCode(String fault) {
    long started = System.nanoTime();
    if (!child.waitFor(BOUND)) {
      child.kill();
      throw new AssertionError("api still running after " + BOUND + " (killed):\n" + logText());
    }
    FaultMatrix.print("api " + fault, child.exitCode(), started, lastLine());
    assertThat(logText()).doesNotContain("\tat ");
    return child.exitCode();
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private String lastLine() {
    List<String> lines = logText().lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }


  @Test
  void kafkaUnreachableEndsTheStartWithExit1NamingTheAddressAndTheVariable() throws IOException {
    String nobody = "127.0.0.1:" + FreePort.any();
    launch(environment(nobody, Topics.unique("api-nobody")));

    assertThat(exitCode("Kafka unreachable")).isEqualTo(1);
    assertThat(lastLine()).startsWith("postroom: api did not start: Kafka at " + nobody + " did not answer within 3 s")
        .contains("POSTROOM_KAFKA_BOOTSTRAP");
  }

  @Test
  void aStateDirectoryThatCannotBeCreatedEndsTheStartWithExit1NamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Map<String, String> env = environment();
    env.put("POSTROOM_API_STATE_DIR", file.resolve("state").toString());
    launch(env);

    assertThat(exitCode("state directory not writable")).isEqualTo(1);
    assertThat(lastLine()).startsWith("postroom: api did not start: cannot open the job status store in "
        + file.resolve("state")).contains("POSTROOM_API_STATE_DIR");
  }

  @Test
  void anUnreadableConfigFileWithTheKeysIsAConfigurationErrorWithExit2() throws IOException {
    Map<String, String> env = environment();
    env.put("POSTROOM_CONFIG", dir.resolve("missing.json").toString());
    launch(env);

    assertThat(exitCode("config (key) file unreadable")).isEqualTo(2);
    assertThat(lastLine()).startsWith("postroom: configuration error: POSTROOM_CONFIG: cannot read "
        + dir.resolve("missing.json"));
  }

  @Test
  void aPortInUseEndsTheStartWithExit1NamingThePortAndTheVariable() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      Map<String, String> env = environment();
      env.put("POSTROOM_API_PORT", Integer.toString(taken.getLocalPort()));
      launch(env);

      assertThat(exitCode("port in use")).isEqualTo(1);
      assertThat(lastLine()).isEqualTo("postroom: api did not start: cannot listen on port " + taken.getLocalPort()
          + " (Address already in use); stop what holds it, or set POSTROOM_API_PORT (api.port) to a free port");
    }
  }

  @Test
  void sigtermWhileTheStartWaitsForKafkaEndsItAtOnceWithExit0() throws IOException, InterruptedException {
    Map<String, String> env = environment("127.0.0.1:" + FreePort.any(), Topics.unique("api-sigterm"));
    env.put("POSTROOM_KAFKA_START_TIMEOUT", "60s");
    launch(env);
    assertThat(Pipeline.eventually(Duration.ofSeconds(30), () -> logText().contains("waiting for Kafka")))
        .as(logText()).isTrue();

    child.terminate();

    assertThat(exitCode("SIGTERM during start")).isZero();
  }

  @Test
  void helpPrintsTheUsageAndExits0WithoutStarting() throws IOException {
    launch(environment("127.0.0.1:1", Topics.unique("api-help")), "--help");

    assertThat(exitCode("--help")).isZero();
    assertThat(logText()).startsWith("usage: bin/postroom api").doesNotContain("waiting for Kafka");
  }
}
