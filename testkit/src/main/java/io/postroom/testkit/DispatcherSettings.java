package io.postroom.testkit;

import io.postroom.dispatcher.config.ConfigLoader;
import io.postroom.dispatcher.config.PostroomConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dispatcher's configuration written the way an operator writes it: POSTROOM_* variables plus a
 * POSTROOM_CONFIG file. The demo and the tests go through the real {@link ConfigLoader}, whether the
 * dispatcher then runs in this JVM or in a child process.
 */
public final class DispatcherSettings {
  private final Map<String, String> env = new LinkedHashMap<>();
  private final JsonObject dispatch = new JsonObject();
  private final JsonObject kafkaProperties = new JsonObject();
  private final JsonObject kafka = new JsonObject();
  private final JsonObject topicNames = new JsonObject();
  private final JsonObject firstRelay = new JsonObject().put("name", "primary");
  private final JsonArray moreRelays = new JsonArray();
  private final Topics topics;

  private DispatcherSettings(String bootstrapServers, Topics topics, String group) {
    this.topics = topics;
    env.put("POSTROOM_KAFKA_BOOTSTRAP", bootstrapServers);
    env.put("POSTROOM_CONSUMER_GROUP", group);
    env.put("POSTROOM_HTTP_PORT", "0");
    // tests and the demo want quick retries; production defaults are in docs/configuration.md
    dispatch.put("retryInitial", "100ms").put("retryMax", "1s")
        .put("relayBackoffInitial", "200ms").put("relayBackoffMax", "2s")
        .put("commitInterval", "200ms").put("shutdownDeadline", "10s");
  }

  public static DispatcherSettings of(String bootstrapServers, Topics topics, String group) {
    return new DispatcherSettings(bootstrapServers, topics, group);
  }

  /** The first relay, STARTTLS required, with AUTH and a trusted CA. */
  public DispatcherSettings relay(String host, int port, String username, String password, Path trustPem) {
    env.put("POSTROOM_RELAY_HOST", host);
    env.put("POSTROOM_RELAY_PORT", Integer.toString(port));
    if (username != null) {
      env.put("POSTROOM_RELAY_USERNAME", username);
      env.put("POSTROOM_RELAY_PASSWORD", password);
    }
    if (trustPem != null) {
      env.put("POSTROOM_RELAY_TRUST_PEM", trustPem.toString());
    }
    return this;
  }

  public DispatcherSettings env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** A key of the first relay's entry in the file, e.g. maxMessageBytes or sendTimeout. */
  public DispatcherSettings relayOption(String key, Object value) {
    firstRelay.put(key, value);
    return this;
  }

  /** A further relay, as a file entry (for failover). */
  public DispatcherSettings addRelay(JsonObject relay) {
    moreRelays.add(relay);
    return this;
  }

  /** A key of the file's dispatch section, e.g. maxInFlight or maxAttempts. */
  public DispatcherSettings dispatch(String key, Object value) {
    dispatch.put(key, value);
    return this;
  }

  /** An extra Kafka client property (the file's kafka.properties), e.g. session.timeout.ms. */
  public DispatcherSettings kafkaProperty(String key, String value) {
    kafkaProperties.put(key, value);
    return this;
  }

  /** A key of the file's kafka section, e.g. startTimeout or outageTolerance. */
  public DispatcherSettings kafka(String key, Object value) {
    kafka.put(key, value);
    return this;
  }

  /** A key of the file's kafka.topics section beyond the three topics, e.g. retryPrefix. */
  public DispatcherSettings topicName(String key, String name) {
    topicNames.put(key, name);
    return this;
  }

  public Topics topics() {
    return topics;
  }

  /** Writes the config file into {@code dir} and returns the environment that names it. */
  public Map<String, String> environment(Path dir) {
    JsonObject file = new JsonObject()
        .put("kafka", kafka.copy().put("topics", topicNames.copy()
            .put("jobs", topics.jobs()).put("status", topics.status()).put("dlq", topics.deadLetters())
            .put("templates", topics.templates()).put("bulkControl", topics.bulkControl())
            .put("suppressions", topics.suppressions()))
            .put("properties", kafkaProperties))
        .put("relays", new JsonArray().add(firstRelay).addAll(moreRelays))
        .put("dispatch", dispatch);
    try {
      Files.createDirectories(dir);
      Path path = Files.writeString(Files.createTempFile(dir, "postroom-", ".json"), file.encodePrettily());
      Map<String, String> result = new LinkedHashMap<>(env);
      result.put("POSTROOM_CONFIG", path.toString());
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PostroomConfig load(Path dir) {
    return ConfigLoader.load(environment(dir));
  }
}
