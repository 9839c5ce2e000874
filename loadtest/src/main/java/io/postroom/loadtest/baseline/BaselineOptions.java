package io.postroom.loadtest.baseline;

import java.nio.file.Path;

/**
 * What a baseline run does; {@link BaselineMain} reads it from the command line, whose options say
 * what each part means. The Kafka ceiling ({@code kafka-ceiling}) reads its messages as jobs from
 * Kafka, so {@code messages} is how many jobs it handles before it stops.
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
}
