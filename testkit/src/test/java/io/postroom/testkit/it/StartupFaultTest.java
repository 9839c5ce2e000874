package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.process.StartFailure;
import io.postroom.dispatcher.Dispatcher;
import io.postroom.dispatcher.config.PostroomConfig;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.FreePort;
import io.postroom.testkit.DispatcherSettings;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up fault matrix: a dispatcher process started into each fault ends with the right exit
 * code and one last line that names the cause and what to do, without a stack trace, within its
 * bound; or, for faults it rides out, stays up and says so. Children log with the production
 * logging configuration, so that what is asserted is what an operator sees. Every wait is bounded,
 * and a child still running at the end of one is killed.
 */
@IntegrationTest
class StartupFaultTest {
  /** Short, so that the matrix stays fast; the default is 15 s. */
  private static final String START_TIMEOUT = "3s";
  /** A JVM's start on two busy cores, plus the start timeout, plus closing. */
  private static final Duration KAFKA_BOUND = Duration.ofSeconds(15);
  private static final Duration QUICK_BOUND = Duration.ofSeconds(10);
  private static final List<String> JVM = List.of("-Dlogback.configurationFile=logback.xml",
      "-XX:TieredStopAtLevel=1");

  private final KafkaBroker broker = KafkaBroker.shared();
  private Path dir;
  private DispatcherProcess child;

  @BeforeEach
  void directory() throws IOException {
    dir = Files.createTempDirectory("postroom-start-");
  }

  @AfterEach
  void killChild() {
    if (child != null && child.isAlive()) {
      child.kill();
    }
  }

  private DispatcherSettings settings(String bootstrap, Topics topics) {
    return DispatcherSettings.of(bootstrap, topics, "postroom-start-" + UUID.randomUUID())
        .env("POSTROOM_KAFKA_START_TIMEOUT", START_TIMEOUT);
  }

  private DispatcherSettings settings(Topics topics) {
    return settings(broker.bootstrapServers(), topics.create(broker, 2));
  }

  /** Launches the child, waits for its exit within {@code bound}; its code and time, printed for the matrix. */
  private Exit exitOf(String fault, DispatcherSettings settings, Duration bound, int httpPort, String... args) {
    long started = System.nanoTime();
    child = DispatcherProcess.launch(settings, dir, JVM, List.of(args), httpPort);
    FaultMatrix.Exit exit = FaultMatrix.exitAfter(child, fault, started, bound);
    return new Exit(exit.code(), exit.took(), child.lastLine(), child.logText());
  }

  private record Exit(int code, Duration took, String lastLine, String log) {
    void hasNoStackTrace() {
      assertThat(log).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }
  }


  @Test
  void kafkaUnreachableEndsTheStartWithExit1NamingTheAddressAndTheVariable() throws IOException {
    String nobody = "127.0.0.1:" + FreePort.any();

    Exit exit = exitOf("Kafka unreachable", settings(nobody, Topics.unique("unreachable")), KAFKA_BOUND, 0);

    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.lastLine()).startsWith("postroom: dispatcher did not start: Kafka at " + nobody
        + " did not answer within 3 s").contains("POSTROOM_KAFKA_BOOTSTRAP");
    assertThat(exit.log()).as("the clients' own warnings are kept out").doesNotContain("NetworkClient");
    exit.hasNoStackTrace();
  }

  @Test
  void aBootstrapAddressThatDoesNotResolveEndsTheStartWithExit1() {
    Exit exit = exitOf("Kafka address does not resolve",
        settings("kafka.does-not-exist.invalid:9092", Topics.unique("unresolved")), KAFKA_BOUND, 0);

    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.lastLine()).contains("Kafka at kafka.does-not-exist.invalid:9092 cannot be reached")
        .contains("POSTROOM_KAFKA_BOOTSTRAP");
    exit.hasNoStackTrace();
  }

  @Test
  void aMissingJobsTopicEndsTheStartWithExit1NamingItAndHowToCreateIt() {
    Topics topics = Topics.unique("nojobs");
    broker.createTopics(2, topics.status(), topics.deadLetters());

    Exit exit = exitOf("jobs topic missing", settings(broker.bootstrapServers(), topics), KAFKA_BOUND, 0);

    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.lastLine()).contains("topic " + topics.jobs() + " does not exist")
        .contains("kafka-topics.sh --bootstrap-server " + broker.bootstrapServers() + " --create --topic "
            + topics.jobs());
    exit.hasNoStackTrace();
  }

  @Test
  void ownTopicsThatCannotBeCreatedEndTheStartWithExit1NamingThem() {
    // Kafka refuses the name (a space): the same answer as a user without the right to create topics
    DispatcherSettings settings = settings(Topics.unique("owntopics")).topicName("retryPrefix", "no such retry");

    Exit exit = exitOf("own topics not creatable", settings, KAFKA_BOUND, 0);

    assertThat(exit.code()).isEqualTo(1);
    assertThat(exit.lastLine()).contains("cannot create the dispatcher's own topics no such retry.10s")
        .contains("create them with 2 partitions each");
    exit.hasNoStackTrace();
  }

  @Test
  void anUnreadableTrustPemIsAConfigurationErrorWithExit2() {
    Path missing = dir.resolve("relay-ca.pem");
    DispatcherSettings settings = settings(Topics.unique("pem")).env("POSTROOM_RELAY_TRUST_PEM", missing.toString());

    Exit exit = exitOf("trust PEM unreadable", settings, QUICK_BOUND, 0);

    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.lastLine()).isEqualTo("postroom: configuration error: POSTROOM_RELAY_TRUST_PEM: cannot read PEM"
        + " file " + missing);
  }

  @Test
  void anUnreadablePasswordFileIsAConfigurationErrorWithExit2() {
    Path missing = dir.resolve("relay-password");
    DispatcherSettings settings = settings(Topics.unique("password")).env("POSTROOM_RELAY_USERNAME", "postroom")
        .env("POSTROOM_RELAY_PASSWORD_FILE", missing.toString());

    Exit exit = exitOf("password file unreadable", settings, QUICK_BOUND, 0);

    assertThat(exit.code()).isEqualTo(2);
    assertThat(exit.lastLine()).startsWith("postroom: configuration error: POSTROOM_RELAY_PASSWORD_FILE: cannot read"
        + " password file " + missing);
  }

  @Test
  void aHttpPortInUseEndsTheStartWithExit1NamingThePortAndTheVariable() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      Exit exit = exitOf("HTTP port in use", settings(Topics.unique("port")), QUICK_BOUND, taken.getLocalPort());

      assertThat(exit.code()).isEqualTo(1);
      assertThat(exit.lastLine()).isEqualTo("postroom: dispatcher did not start: cannot listen on port "
          + taken.getLocalPort() + " for health and metrics (Address already in use); stop what holds it, or set"
          + " POSTROOM_HTTP_PORT (http.port) to a free port");
    }
  }

  @Test
  void aRelayHostThatDoesNotResolveIsAWarningAndNotReadyNotACrash() {
    DispatcherSettings settings = settings(Topics.unique("relaydns"))
        .env("POSTROOM_RELAY_HOST", "relay.does-not-exist.invalid");
    child = DispatcherProcess.launch(settings, dir, JVM, List.of(), 0);

    assertThat(child.awaitLog("host relay.does-not-exist.invalid does not resolve", Duration.ofSeconds(30)))
        .as(child.logText()).isTrue();
    assertThat(Pipeline.eventually(Duration.ofSeconds(30), () -> child.httpStatus("/health/live") == 200)).isTrue();
    // the relays are listed once the instances exist, after the start read the templates and bulk controls
    assertThat(Pipeline.eventually(Duration.ofSeconds(30), () -> child.httpBody("/health/ready").contains("UNRESOLVED")))
        .as(child.httpBody("/health/ready")).isTrue();
    assertThat(child.httpStatus("/health/ready")).isEqualTo(503);
    assertThat(child.isAlive()).isTrue();

    child.terminate();
    assertThat(child.awaitExit(Duration.ofSeconds(25))).as("exit code after SIGTERM").isZero();
  }

  @Test
  void sigtermWhileTheStartWaitsForKafkaEndsItAtOnceWithExit0() throws IOException {
    DispatcherSettings settings = settings("127.0.0.1:" + FreePort.any(), Topics.unique("sigterm-start"))
        .env("POSTROOM_KAFKA_START_TIMEOUT", "60s");
    child = DispatcherProcess.launch(settings, dir, JVM, List.of(), 0);
    assertThat(child.awaitLog("waiting for Kafka", Duration.ofSeconds(30))).as(child.logText()).isTrue();

    FaultMatrix.Exit exit = FaultMatrix.sigterm(child, "start", Duration.ofSeconds(20));

    assertThat(exit.code()).isZero();
    assertThat(exit.took()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aFailedStartInThisJvmIsDeliveredToTheCallerWithItsReason() throws IOException {
    String nobody = "127.0.0.1:" + FreePort.any();
    PostroomConfig config = settings(nobody, Topics.unique("injvm")).load(dir);

    Throwable failure = Dispatcher.start(config).toCompletionStage().toCompletableFuture()
        .handle((ok, error) -> error).orTimeout(20, TimeUnit.SECONDS).join();

    assertThat(StartFailure.sentence(failure)).startsWith("Kafka at " + nobody + " did not answer within 3 s");
  }

  @Test
  void helpPrintsTheUsageAndExits0WithoutStarting() {
    Exit exit = exitOf("--help", settings("127.0.0.1:1", Topics.unique("help")), QUICK_BOUND, 0, "--help");

    assertThat(exit.code()).isZero();
    assertThat(exit.log()).startsWith("usage: bin/postroom dispatcher").doesNotContain("waiting for Kafka");
  }
}
