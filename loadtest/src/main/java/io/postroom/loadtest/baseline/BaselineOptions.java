package io.postroom.loadtest.baseline;

import io.postroom.loadtest.load.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a baseline run does. Read with {@link #parse}: {@code --client vertx|jakarta|jakarta-per-message}
 * (required), {@code --host} (required), {@code --port} (required), {@code --username} (required),
 * {@code --password-file} (required; the password is the file's content without its trailing line
 * end), {@code --trust-pem} (required; the CA certificate(s) the relay's certificate is checked
 * against), {@code --messages N} (required), {@code --size BYTES} (1024), {@code --connections C}
 * (8), {@code --run-id R} (a new base-36 timestamp), {@code --max-seconds S} (no limit: after S
 * seconds no new message is started and the run reports what was sent), {@code --warmup W} (0:
 * messages {@code 0..W-1} are sent first, in the same JVM, and not measured; the measured window is
 * messages {@code W..W+N-1}; the time box applies to each alone). The Kafka ceiling
 * ({@code --client kafka-ceiling}) also needs {@code --bootstrap}, {@code --jobs-topic} and
 * {@code --status-topic}; it reads its messages as jobs from Kafka, so {@code --messages} is how
 * many jobs it handles before it stops.
 *
 * @param maxSeconds 0 for no time box
 * @param kafka where the Kafka ceiling reads jobs and writes statuses; null for the other clients
 */
public record BaselineOptions(
    Client client,
    String host,
    int port,
    String username,
    Path passwordFile,
    Path trustPem,
    int messages,
    int size,
    int connections,
    String runId,
    double maxSeconds,
    int warmup,
    KafkaTopics kafka) {

  public static final int MAX_MESSAGES = 10_000_000;
  public static final int MAX_SIZE = 30_000_000;
  public static final int MAX_CONNECTIONS = 1_000;
  static final Set<String> OPTIONS = Set.of("--client", "--host", "--port", "--username", "--password-file",
      "--trust-pem", "--messages", "--size", "--connections", "--run-id", "--max-seconds", "--warmup",
      "--bootstrap", "--jobs-topic", "--status-topic");

  /** The broker and topics of the Kafka ceiling. */
  public record KafkaTopics(String bootstrap, String jobsTopic, String statusTopic) {
  }

  /** The clients measured. */
  public enum Client {
    /** vertx-mail-client's MailClient with a tuned pool: the library ceiling. */
    VERTX("vertx"),
    /** Jakarta Mail, one reused Transport per thread: what a typical Java user writes. */
    JAKARTA("jakarta"),
    /** Jakarta Mail, a new connection (STARTTLS, AUTH, QUIT) per message. */
    JAKARTA_PER_MESSAGE("jakarta-per-message"),
    /** Kafka consumer, the same MailClient as VERTX, Kafka producer of statuses: the Kafka round trip's cost. */
    KAFKA_CEILING("kafka-ceiling");

    private final String option;

    Client(String option) {
      this.option = option;
    }

    /** The name on the command line and in the result. */
    public String option() {
      return option;
    }

    static Client of(String value) {
      for (Client client : values()) {
        if (client.option.equals(value.trim().toLowerCase(Locale.ROOT))) {
          return client;
        }
      }
      throw new IllegalArgumentException("--client: '" + value + "' is not one of vertx, jakarta, jakarta-per-message,"
          + " kafka-ceiling");
    }
  }

  /** Without warm-up, not the Kafka ceiling. */
  public BaselineOptions(Client client, String host, int port, String username, Path passwordFile, Path trustPem,
      int messages, int size, int connections, String runId, double maxSeconds) {
    this(client, host, port, username, passwordFile, trustPem, messages, size, connections, runId, maxSeconds, 0,
        null);
  }

  public BaselineOptions {
    if (client == Client.KAFKA_CEILING && kafka == null) {
      throw new IllegalArgumentException("--bootstrap, --jobs-topic, --status-topic: required for kafka-ceiling");
    }
    if (runId == null || !runId.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("--run-id: 1 to 64 letters, digits, '-' or '_' (it goes into the"
          + " Message-ID), got '" + runId + "'");
    }
  }

  /** Reads the command line; every problem is an IllegalArgumentException whose message starts with the option. */
  public static BaselineOptions parse(List<String> args) {
    CommandLine line = CommandLine.parse(args, OPTIONS, Set.of());
    Client client = Client.of(required(line, "--client", "vertx, jakarta, jakarta-per-message or kafka-ceiling"));
    String host = required(line, "--host", "the relay's host name, as its certificate names it");
    if (host.isBlank()) {
      throw new IllegalArgumentException("--host: must not be empty");
    }
    required(line, "--port", "the relay's STARTTLS port, e.g. 587");
    int port = (int) line.number("--port", 0, 1, 65535);
    String username = required(line, "--username", "the relay's AUTH user");
    Path passwordFile = readableFile(line, "--password-file", "a file holding the AUTH password");
    Path trustPem = readableFile(line, "--trust-pem", "a PEM file with the CA certificate(s) to trust");
    required(line, "--messages", "how many messages to send, at most " + MAX_MESSAGES);
    int messages = (int) line.number("--messages", 0, 1, MAX_MESSAGES);
    int size = (int) line.number("--size", 1024, 1, MAX_SIZE);
    int connections = (int) line.number("--connections", 8, 1, MAX_CONNECTIONS);
    String runId = line.text("--run-id", Long.toString(System.currentTimeMillis(), 36));
    double maxSeconds = maxSeconds(line.text("--max-seconds", null));
    int warmup = (int) line.number("--warmup", 0, 0, MAX_MESSAGES);
    KafkaTopics kafka = null;
    if (client == Client.KAFKA_CEILING) {
      kafka = new KafkaTopics(required(line, "--bootstrap", "the Kafka bootstrap servers"),
          required(line, "--jobs-topic", "the topic the jobs are read from"),
          required(line, "--status-topic", "the topic the statuses are written to"));
    }
    return new BaselineOptions(client, host.trim(), port, username, passwordFile, trustPem, messages, size,
        connections, runId, maxSeconds, warmup, kafka);
  }

  /** The same options with another client: the benchmark runs all three alike. */
  public BaselineOptions withClient(Client other) {
    return new BaselineOptions(other, host, port, username, passwordFile, trustPem, messages, size, connections,
        runId, maxSeconds, warmup, kafka);
  }

  /** The same options with a time box of {@code seconds} (0: none). */
  public BaselineOptions withMaxSeconds(double seconds) {
    return new BaselineOptions(client, host, port, username, passwordFile, trustPem, messages, size, connections,
        runId, seconds, warmup, kafka);
  }

  private static String required(CommandLine line, String option, String what) {
    String value = line.text(option, null);
    if (value == null) {
      throw new IllegalArgumentException(option + ": required (" + what + ")");
    }
    return value;
  }

  private static Path readableFile(CommandLine line, String option, String what) {
    Path path = Path.of(required(line, option, what));
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException(option + ": " + path + " is not a readable file");
    }
    return path;
  }

  private static double maxSeconds(String value) {
    if (value == null) {
      return 0;
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw new IllegalArgumentException("--max-seconds: must be a positive number of seconds, got " + value);
      }
      return seconds;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-seconds: '" + value + "' is not a number of seconds");
    }
  }
}
