package io.postroom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process) in its own JVM, run
 * from the jars that the kafka-broker module copies to {@code kafka-broker/target/lib}. Never in
 * the test JVM: the broker needs kafka-clients 4.x, the dispatcher uses 3.x.
 *
 * <p>The broker listens on free ports of 127.0.0.1 and keeps them across {@link #restart()}. Its
 * log is {@code broker.log} in the data dir. It dies with the JVM that started it, even when that
 * JVM is killed.
 *
 * <p>The helpers ({@link #createTopics}, {@link #publish}, {@link #readAll}) block: call them from
 * test threads, never from an event loop.
 */
public final class KafkaBroker implements AutoCloseable {

  /** System property naming the directory of the broker's jars. */
  public static final String LIB_PROPERTY = "postroom.kafka.lib";

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 40;

  private static KafkaBroker shared;

  private final Path dataDir;
  private final Path lib;
  private final int port;
  private final int controllerPort;
  private ChildProcess process;
  private KafkaProducer<String, byte[]> producer;

  private KafkaBroker(Path dataDir, Path lib, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.lib = lib;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * Formats {@code dataDir} (unless it already holds a broker's data) and starts a broker on it;
   * returns once the broker answers an admin request.
   */
  public static KafkaBroker start(Path dataDir) {
    Path lib = locateLib();
    int[] ports = freePorts(2);
    KafkaBroker broker = new KafkaBroker(dataDir.toAbsolutePath(), lib, ports[0], ports[1]);
    try {
      Files.createDirectories(dataDir);
      Files.writeString(broker.configFile(), broker.config());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the broker configuration in " + dataDir, e);
    }
    broker.format();
    broker.launch();
    return broker;
  }

  /**
   * The broker of this JVM, started on first use in a temporary directory, stopped and deleted
   * when the JVM exits. Shared by every test: never stop or kill it; use {@link #start} for a
   * broker a test may stop, kill or restart.
   */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("postroom-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a directory for the shared Kafka broker", e);
      }
      KafkaBroker broker = start(dir);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        broker.stop();
        deleteRecursively(dir);
      }, "postroom-kafka-shutdown"));
      shared = broker;
    }
    return shared;
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return dataDir.resolve("broker.log");
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Creates the topics that do not exist yet, with replication factor 1. */
  public void createTopics(int partitions, String... names) {
    createTopics(partitions, Map.of(), names);
  }

  /** Creates compacted topics of one partition that do not exist yet, as the api and the dispatchers create theirs. */
  public void createCompactedTopics(String... names) {
    createTopics(1, Map.of("cleanup.policy", "compact"), names);
  }

  private void createTopics(int partitions, Map<String, String> configs, String... names) {
    List<NewTopic> topics = Arrays.stream(names).distinct()
        .map(name -> new NewTopic(name, partitions, (short) 1).configs(configs))
        .toList();
    try (Admin admin = Admin.create(clientProperties())) {
      admin.createTopics(topics).values().forEach((name, created) -> {
        try {
          await(created);
        } catch (IllegalStateException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      });
      // created is not yet listed: the broker learns of a new topic from the metadata log a moment
      // later, and a process started at once (the api's start check) would find it missing
      long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
      while (!await(admin.listTopics().names()).containsAll(topics.stream().map(NewTopic::name).toList())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics " + Arrays.toString(names) + " created but not listed by "
              + bootstrapServers() + " within " + CLIENT_TIMEOUT);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** Publishes one record and waits for the broker's acknowledgement. */
  public void publish(String topic, String key, byte[] value) {
    publishAll(List.of(new ProducerRecord<>(topic, key, value)));
  }

  /** Publishes the records in order, flushes, and waits until the broker acknowledged all. */
  public void publishAll(List<ProducerRecord<String, byte[]>> records) {
    KafkaProducer<String, byte[]> producer = producer();
    List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
    producer.flush();
    for (Future<RecordMetadata> acknowledgement : sent) {
      try {
        acknowledgement.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("publishing to Kafka at " + bootstrapServers() + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing to Kafka", e);
      }
    }
  }

  /**
   * Reads {@code topic} from the earliest offset with a fresh consumer group until
   * {@code expected} records arrived or {@code timeout} passed, and returns what it read (which
   * may be fewer, or more, than expected).
   */
  public List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected, Duration timeout) {
    Properties properties = clientProperties();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "postroom-testkit-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
             new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        Duration poll = Duration.ofNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(200)));
        consumer.poll(poll).forEach(records::add);
      }
    }
    return records;
  }

  /** Graceful shutdown (SIGTERM); the data stays for {@link #restart()}. */
  public synchronized void stop() {
    closeProducer(Duration.ofSeconds(5));
    if (process != null) {
      process.stop(STOP_TIMEOUT);
    }
  }

  /** {@code kill -9}: a crash, for recovery tests. The data stays for {@link #restart()}. */
  public synchronized void kill() {
    closeProducer(Duration.ZERO);
    if (process != null) {
      process.kill();
    }
  }

  /**
   * Stops the broker if it runs, then starts it again on the same ports and data. After
   * {@link #kill()} this takes about 3 s longer: the controller waits for the dead broker's
   * session to expire before it accepts the new registration.
   */
  public synchronized void restart() {
    if (isRunning()) {
      stop();
    }
    launch();
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
  }

  private synchronized void launch() {
    long started = System.nanoTime();
    try {
      process = ChildProcess.start(brokerCommand(), dataDir, logFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka broker JVM", e);
    }
    awaitReady(started);
    log.info("Kafka broker {} started in {} ms (log {})", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logFile());
  }

  private void format() {
    List<String> command = List.of(java(), "-cp", lib + "/*", "kafka.tools.StorageTool", "format",
        "--ignore-formatted", "-t", Uuid.randomUuid().toString(), "-c", configFile().toString());
    try {
      Process format = new ProcessBuilder(command)
          .directory(dataDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .start();
      if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw failure("formatting its storage did not finish within " + START_TIMEOUT.toSeconds() + " s");
      }
      if (format.exitValue() != 0) {
        throw failure("formatting its storage failed with exit code " + format.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the Kafka storage tool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    }
  }

  private void awaitReady(long started) {
    long deadline = started + START_TIMEOUT.toNanos();
    Properties properties = clientProperties();
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    try {
      // the admin client logs a warning for every refused connection: wait for the port first
      while (!listening()) {
        pause(deadline);
      }
      try (Admin admin = Admin.create(properties)) {
        while (!answers(admin)) {
          pause(deadline);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.kill();
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
    }
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static boolean answers(Admin admin) throws InterruptedException {
    try {
      admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException notYet) {
      return false;
    }
  }

  private void pause(long deadline) throws InterruptedException {
    if (!process.isAlive()) {
      throw failure("its JVM exited with code " + process.exitCode() + " during start-up");
    }
    if (System.nanoTime() > deadline) {
      process.kill();
      throw failure("it did not answer within " + START_TIMEOUT.toSeconds() + " s");
    }
    Thread.sleep(100);
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException("Kafka broker " + bootstrapServers() + " did not start: " + what
        + ". Last lines of " + logFile() + ":\n" + tail(logFile(), LOG_TAIL_LINES));
  }

  private List<String> brokerCommand() {
    return List.of(java(), "-Xmx512m", "-Djava.awt.headless=true",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        // log4j-api without log4j-core: pick its simple logger instead of an error about it
        "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
        "-cp", lib + "/*", "kafka.Kafka", configFile().toString());
  }

  private Path configFile() {
    return dataDir.resolve("server.properties");
  }

  private String config() {
    return """
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@127.0.0.1:%2$d
        listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
        advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        controller.listener.names=CONTROLLER
        inter.broker.listener.name=PLAINTEXT
        log.dirs=%3$s
        # a single node: every internal topic has one replica
        offsets.topic.replication.factor=1
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        share.coordinator.state.topic.replication.factor=1
        share.coordinator.state.topic.min.isr=1
        # fewer partitions for internal topics: they are created on first use, in a test
        offsets.topic.num.partitions=4
        transaction.state.log.num.partitions=4
        share.coordinator.state.topic.num.partitions=4
        group.initial.rebalance.delay.ms=0
        log.cleaner.dedupe.buffer.size=4194304
        broker.session.timeout.ms=3000
        broker.heartbeat.interval.ms=1000
        num.partitions=4
        auto.create.topics.enable=false
        """.formatted(port, controllerPort, dataDir.resolve("kraft-logs"));
  }

  private Properties clientProperties() {
    Properties properties = new Properties();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return properties;
  }

  private synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties properties = clientProperties();
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private synchronized void closeProducer(Duration timeout) {
    if (producer != null) {
      producer.close(timeout);
      producer = null;
    }
  }

  private static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + CLIENT_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  /** From {@value #LIB_PROPERTY}, else kafka-broker/target/lib in the working dir or above. */
  static Path locateLib() {
    String configured = System.getProperty(LIB_PROPERTY);
    if (configured != null) {
      Path lib = Path.of(configured).toAbsolutePath();
      if (!holdsKafka(lib)) {
        throw new IllegalStateException(LIB_PROPERTY + "=" + configured + " holds no kafka_2.13 jar;"
            + " run 'mvn -o generate-resources -pl kafka-broker' in the project root");
      }
      return lib;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path lib = dir.resolve("kafka-broker").resolve("target").resolve("lib");
      if (holdsKafka(lib)) {
        return lib;
      }
    }
    throw new IllegalStateException("Kafka broker jars not found: set -D" + LIB_PROPERTY
        + "=<dir>, or run 'mvn -o generate-resources -pl kafka-broker' in the project root");
  }

  private static boolean holdsKafka(Path lib) {
    if (!Files.isDirectory(lib)) {
      return false;
    }
    try (Stream<Path> jars = Files.list(lib)) {
      return jars.anyMatch(jar -> jar.getFileName().toString().startsWith("kafka_2.13-"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  // Ports are released before the broker binds them; the window is small enough for tests.
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing was sent on it
        }
      }
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans up what is left
    }
  }
}
