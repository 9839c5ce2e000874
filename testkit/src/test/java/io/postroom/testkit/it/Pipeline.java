package io.postroom.testkit.it;

import io.postroom.contract.StatusEvent;
import io.postroom.dispatcher.Dispatcher;
import io.postroom.testkit.Certificates;
import io.postroom.testkit.DispatcherProcess;
import io.postroom.testkit.DispatcherSettings;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SmtpRelay;
import io.postroom.testkit.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * The shared fixture of the integration tests: the JVM's Kafka broker, fresh topics and consumer
 * group per test, a dispatcher configured through the real config loader, and an
 * {@link OutcomeWatcher} on the status and dead-letter topics. Blocking helpers: call them from the
 * test thread, not from an event loop.
 */
final class Pipeline implements AutoCloseable {
  static final String USER = "postroom";
  static final String PASSWORD = "correct horse battery staple";

  final KafkaBroker broker;
  final Topics topics;
  final String group;
  final DispatcherSettings settings;
  private final int partitions;
  private final Path dir;
  private Dispatcher dispatcher;
  private final List<Dispatcher> others = new java.util.ArrayList<>();
  private OutcomeWatcher watcher;

  private Pipeline(String label, int partitions, KafkaBroker broker) {
    this.broker = broker;
    try {
      dir = Files.createTempDirectory("postroom-it-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.partitions = partitions;
    topics = Topics.unique(label).create(broker, partitions);
    group = "postroom-it-" + UUID.randomUUID();
    settings = DispatcherSettings.of(broker.bootstrapServers(), topics, group);
  }

  static Pipeline create(String label) {
    return new Pipeline(label, 4, KafkaBroker.shared());
  }

  /** With a jobs topic of {@code partitions} partitions: one per consumer of the group at least. */
  static Pipeline create(String label, int partitions) {
    return new Pipeline(label, partitions, KafkaBroker.shared());
  }

  /** On a broker of the test's own, which it may stop, kill and restart (never the shared one). */
  static Pipeline create(String label, int partitions, KafkaBroker broker) {
    return new Pipeline(label, partitions, broker);
  }

  /** A CA-signed certificate for localhost and 127.0.0.1, made once per JVM. */
  static Certificates localhost() {
    return Certificates.localhost();
  }

  /** A relay that requires STARTTLS and AUTH with the fixture's user; adjust as the test needs. */
  static SmtpRelay.Options.Builder relayOptions() {
    return SmtpRelay.Options.builder().certificates(localhost()).user(USER, PASSWORD);
  }

  /**
   * A free port below the kernel's ephemeral range (32768 and up). A relay that a test closes and
   * starts again on the same port needs one: on an ephemeral port, the dispatcher's own next
   * connection attempt may be given that very port as its local one, and the new relay cannot bind.
   */
  static int portOutsideEphemeralRange() {
    java.util.Random random = new java.util.Random();
    for (int tries = 0; tries < 100; tries++) {
      int port = 20_000 + random.nextInt(10_000);
      try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException("no free port between 20000 and 30000");
  }

  static SmtpRelay startRelay(Vertx vertx, SmtpRelay.Options options) {
    return await(new SmtpRelay(options).start(vertx));
  }

  /** Points the dispatcher's first relay at {@code relay}, trusting the fixture's CA. */
  Pipeline relay(SmtpRelay relay) {
    settings.relay("localhost", relay.port(), USER, PASSWORD, localhost().caPem());
    return this;
  }

  Pipeline startDispatcher() {
    dispatcher = await(Dispatcher.start(settings.load(dir)));
    // its instances join the group one after the other; a test that counts sends or attempts exactly
    // must not publish into the rebalance that follows (see awaitGroupOf)
    awaitGroupOf(readiness(dispatcher).getInteger("instances"), Duration.ofSeconds(60));
    return this;
  }

  /** Stops the dispatcher gracefully, as SIGTERM would; {@link #startDispatcher()} may start it again. */
  Pipeline stopDispatcher() {
    await(dispatcher.stop());
    dispatcher = null;
    return this;
  }

  /** One more dispatcher of the same consumer group and configuration, in this JVM. */
  Dispatcher startAnotherDispatcher() {
    Dispatcher another = await(Dispatcher.start(settings.load(dir)));
    others.add(another);
    return another;
  }

  /** Stops the dispatchers {@link #startAnotherDispatcher()} started, gracefully. */
  Pipeline stopOtherDispatchers() {
    others.forEach(other -> await(other.stop()));
    others.clear();
    return this;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  Path dir() {
    return dir;
  }

  OutcomeWatcher watcher() {
    if (watcher == null) {
      watcher = OutcomeWatcher.start(broker.bootstrapServers(), topics);
    }
    return watcher;
  }

  void publish(List<JsonObject> jobs) {
    broker.publishAll(jobs.stream()
        .map(job -> new ProducerRecord<>(topics.jobs(), job.getString("id"), job.encode().getBytes()))
        .toList());
  }

  void publishRaw(String key, byte[] value) {
    broker.publish(topics.jobs(), key, value);
  }

  /** Publishes events on mail.status as another process does (the bounce reader its follow-ups). */
  void publishStatus(List<StatusEvent> events) {
    broker.publishAll(events.stream()
        .map(event -> new ProducerRecord<>(topics.status(), event.id(), event.toJson().encode().getBytes()))
        .toList());
  }

  /** Waits for {@code count} finished jobs; fails the test with what was seen on timeout. */
  OutcomeWatcher awaitFinished(int count, Duration timeout) {
    try {
      if (!watcher().awaitFinished(count, timeout)) {
        throw new AssertionError("only " + watcher().finished() + " of " + count + " jobs finished within " + timeout
            + "; terminal states so far " + watcher().terminalCounts());
      }
      return watcher();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Waits until the consumer group is stable with exactly {@code members} members (dispatcher
   * instances), each reading the jobs topic (as many as it has partitions). Jobs published before then may be read by a member that
   * hands its partitions over at the next rebalance, and a send already on the wire then may reach
   * the relay twice, or an attempt be made twice (docs/delivery-guarantees.md): a test that counts
   * exactly once waits for this. {@link #startDispatcher()} does.
   */
  void awaitGroupOf(int members, Duration timeout) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      boolean settled = eventually(timeout, () -> {
        ConsumerGroupDescription description = describeGroup(admin);
        long reading = description.members().stream().filter(member -> member.assignment().topicPartitions()
            .stream().anyMatch(partition -> partition.topic().equals(topics.jobs()))).count();
        return description.state() == ConsumerGroupState.STABLE && description.members().size() == members
            && reading == Math.min(members, partitions);
      });
      if (!settled) {
        throw new IllegalStateException(String.format("not %d dispatchers reading %s in group %s within %s;"
            + " last seen: %s", members, topics.jobs(), group, timeout, describeGroup(admin)));
      }
    }
  }

  private ConsumerGroupDescription describeGroup(Admin admin) {
    try {
      return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe consumer group " + group, e);
    }
  }

  /** The dispatcher's /health/ready document. */
  JsonObject readiness() {
    return readiness(dispatcher);
  }

  /** A dispatcher's /health/ready document, with its HTTP status as "httpStatus". */
  static JsonObject readiness(Dispatcher dispatcher) {
    try {
      HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + dispatcher.httpPort() + "/health/ready")).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body()).put("httpStatus", response.statusCode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the dispatcher holds its first relay (readiness 503 with the relay DOWN or PROBING)
   * and returns what it says about the relay's last failure.
   */
  String awaitRelayFailure() {
    boolean held = eventually(Duration.ofSeconds(20), () -> {
      JsonObject ready = readiness();
      return ready.getInteger("httpStatus") == 503
          && !"UP".equals(ready.getJsonArray("relays").getJsonObject(0).getString("state"));
    });
    if (!held) {
      throw new AssertionError("the relay was not held within 20 s; readiness: " + readiness().encode());
    }
    return readiness().getJsonArray("relays").getJsonObject(0).getString("lastFailure");
  }

  /** The dispatcher's /metrics text. */
  String metrics() {
    return DispatcherProcess.metrics(dispatcher.httpPort());
  }

  /** Records of the jobs topic that the group has not committed yet (0 when all are committed). */
  long uncommitted() {
    return uncommitted(List.of(topics.jobs()));
  }

  /** Records of these topics (the jobs topic, the recipients topic, …) whose offsets the group has not committed. */
  long uncommitted(List<String> names) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
          description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      long lag = 0;
      for (var end : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(end.getKey());
        lag += end.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the group's offsets", e);
    }
  }

  /** Polls {@code condition} until true or the timeout; for effects that settle asynchronously. */
  static boolean eventually(Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() == null ? e : e.getCause());
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    others.forEach(other -> await(other.stop()));
    if (dispatcher != null) {
      await(dispatcher.stop());
    }
  }
}
