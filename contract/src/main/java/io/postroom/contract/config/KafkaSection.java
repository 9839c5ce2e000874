package io.postroom.contract.config;

import static io.postroom.contract.config.ConfigValues.duration;
import static io.postroom.contract.config.ConfigValues.object;
import static io.postroom.contract.config.ConfigValues.text;

import io.postroom.contract.config.ConfigValues.Source;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code kafka} section of the configuration file, which the dispatchers and the api share:
 * read here once, with its defaults, for both.
 *
 * @param bootstrapServers {@code kafka.bootstrap}, {@code POSTROOM_KAFKA_BOOTSTRAP}
 * @param consumerGroup the dispatchers' group ({@code kafka.consumerGroup}, {@code POSTROOM_CONSUMER_GROUP})
 * @param jobsTopic {@code kafka.topics.jobs}
 * @param statusTopic {@code kafka.topics.status}
 * @param deadLetterTopic {@code kafka.topics.dlq}
 * @param retryTopicPrefix {@code kafka.topics.retryPrefix}: the retry tiers are {@code <prefix>.10s} and so on
 * @param laneTopicPrefix {@code kafka.topics.lanesPrefix}: the lanes are {@code <prefix>.high} and so on
 * @param templatesTopic {@code kafka.topics.templates}: the registered templates (compacted)
 * @param bulkTopic {@code kafka.topics.bulk}: one record per uploaded part of a bulk send (compacted)
 * @param bulkControlTopic {@code kafka.topics.bulkControl}: each bulk send's wanted state,
 *     RUNNING, PAUSED or CANCELLED (compacted)
 * @param recipientsTopic {@code kafka.topics.recipients}: the jobs of bulk sends' recipients, written by
 *     the dispatchers as they expand a bulk record, read like the jobs topic
 * @param suppressionsTopic {@code kafka.topics.suppressions}: each tenant's suppressed addresses
 *     (compacted; key {@code <tenant>|<stream or *>|<address>}, a tombstone lifts a suppression)
 * @param properties {@code kafka.properties}, passed to every client as they are
 * @param startTimeout how long a start waits for Kafka to answer ({@code kafka.startTimeout},
 *     {@code POSTROOM_KAFKA_START_TIMEOUT})
 * @param outageTolerance how long a running process rides out an unreachable Kafka before it ends
 *     ({@code kafka.outageTolerance}, {@code POSTROOM_KAFKA_OUTAGE_TOLERANCE})
 * @param clientId the prefix of the client ids of this process's Kafka clients: {@code client.id} of
 *     {@code kafka.properties} if set, else the process's own ({@link #forProcess}); null until then
 */
public record KafkaSection(
    String bootstrapServers,
    String consumerGroup,
    String jobsTopic,
    String statusTopic,
    String deadLetterTopic,
    String retryTopicPrefix,
    String laneTopicPrefix,
    String templatesTopic,
    String bulkTopic,
    String bulkControlTopic,
    String recipientsTopic,
    String suppressionsTopic,
    Map<String, String> properties,
    Duration startTimeout,
    Duration outageTolerance,
    String clientId) {

  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  public static final String DEFAULT_CONSUMER_GROUP = "postroom-dispatcher";
  public static final String DEFAULT_JOBS_TOPIC = "mail.jobs";
  public static final String DEFAULT_STATUS_TOPIC = "mail.status";
  public static final String DEFAULT_DEAD_LETTER_TOPIC = "mail.jobs.dlq";
  public static final String DEFAULT_TEMPLATES_TOPIC = "mail.templates";
  public static final String DEFAULT_BULK_TOPIC = "mail.bulk";
  public static final String DEFAULT_BULK_CONTROL_TOPIC = "mail.bulk.control";
  public static final String DEFAULT_SUPPRESSIONS_TOPIC = "mail.suppressions";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofMinutes(5);
  private static final String CLIENT_ID = "client.id";

  /** The section of {@code file} (the parsed {@code POSTROOM_CONFIG}), with the environment's overrides. */
  public static KafkaSection read(JsonObject file, Map<String, String> env) {
    JsonObject kafka = object(file, "kafka", "kafka");
    JsonObject topics = object(kafka, "topics", "kafka.topics");
    Map<String, String> properties = new LinkedHashMap<>();
    object(kafka, "properties", "kafka.properties")
        .forEach(e -> properties.put(e.getKey(), String.valueOf(e.getValue())));
    String jobs = text("kafka.topics.jobs", topics.getValue("jobs"), DEFAULT_JOBS_TOPIC);
    return new KafkaSection(
        text(Source.of(env, "POSTROOM_KAFKA_BOOTSTRAP", kafka, "bootstrap", "kafka.bootstrap"), DEFAULT_BOOTSTRAP),
        text(Source.of(env, "POSTROOM_CONSUMER_GROUP", kafka, "consumerGroup", "kafka.consumerGroup"),
            DEFAULT_CONSUMER_GROUP),
        jobs,
        text("kafka.topics.status", topics.getValue("status"), DEFAULT_STATUS_TOPIC),
        text("kafka.topics.dlq", topics.getValue("dlq"), DEFAULT_DEAD_LETTER_TOPIC),
        text("kafka.topics.retryPrefix", topics.getValue("retryPrefix"), jobs + ".retry"),
        text("kafka.topics.lanesPrefix", topics.getValue("lanesPrefix"), jobs + ".lanes"),
        text("kafka.topics.templates", topics.getValue("templates"), DEFAULT_TEMPLATES_TOPIC),
        text("kafka.topics.bulk", topics.getValue("bulk"), DEFAULT_BULK_TOPIC),
        text("kafka.topics.bulkControl", topics.getValue("bulkControl"), DEFAULT_BULK_CONTROL_TOPIC),
        text("kafka.topics.recipients", topics.getValue("recipients"), jobs + ".recipients"),
        text("kafka.topics.suppressions", topics.getValue("suppressions"), DEFAULT_SUPPRESSIONS_TOPIC),
        Map.copyOf(properties),
        duration(Source.of(env, "POSTROOM_KAFKA_START_TIMEOUT", kafka, "startTimeout", "kafka.startTimeout"),
            DEFAULT_START_TIMEOUT),
        duration(Source.of(env, "POSTROOM_KAFKA_OUTAGE_TOLERANCE", kafka, "outageTolerance", "kafka.outageTolerance"),
            DEFAULT_OUTAGE_TOLERANCE),
        properties.get(CLIENT_ID));
  }

  /**
   * The section as process {@code name} reads it: its clients' ids start with {@code name}, unless
   * {@code kafka.properties} names them.
   */
  public KafkaSection forProcess(String name) {
    return clientId != null ? this : withClientId(name);
  }

  /** The same, for instance {@code index} of a process that runs several: distinct client ids in one process. */
  public KafkaSection forInstance(int index) {
    return withClientId(clientId + "-" + index);
  }

  private KafkaSection withClientId(String id) {
    return new KafkaSection(bootstrapServers, consumerGroup, jobsTopic, statusTopic, deadLetterTopic, retryTopicPrefix,
        laneTopicPrefix, templatesTopic, bulkTopic, bulkControlTopic, recipientsTopic, suppressionsTopic, properties,
        startTimeout,
        outageTolerance, id);
  }

  /**
   * What every Kafka client of the process starts from: {@code kafka.properties}, the bootstrap
   * servers, and a client id per role ({@code <clientId>-<role>}).
   */
  public Map<String, String> clientProperties(String role) {
    Map<String, String> props = new HashMap<>(properties);
    props.put("bootstrap.servers", bootstrapServers);
    props.put(CLIENT_ID, clientId + "-" + role);
    return props;
  }
}
