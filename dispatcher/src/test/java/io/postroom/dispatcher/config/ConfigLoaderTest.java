package io.postroom.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.KafkaSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  @Test
  void defaultsFollowTheDesign() {
    PostroomConfig config = ConfigLoader.load(Map.of());

    assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.kafka().consumerGroup()).isEqualTo("postroom-dispatcher");
    assertThat(config.kafka().jobsTopic()).isEqualTo("mail.jobs");
    assertThat(config.kafka().statusTopic()).isEqualTo("mail.status");
    assertThat(config.kafka().deadLetterTopic()).isEqualTo("mail.jobs.dlq");
    RelayConfig relay = config.relays().get(0);
    assertThat(relay.host()).isEqualTo("localhost");
    assertThat(relay.port()).isEqualTo(25);
    assertThat(relay.tls()).isEqualTo(TlsMode.STARTTLS);
    assertThat(relay.hasCredentials()).isFalse();
    assertThat(config.httpPort()).isEqualTo(8081);
    assertThat(config.allowPlaintext()).isFalse();
  }

  @Test
  void faultTolerancesDefaultToFifteenSecondsFiveMinutesAndOneMinute() {
    FaultTolerance faults = ConfigLoader.load(Map.of()).faults();

    assertThat(faults.kafkaStartTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(faults.kafkaOutageTolerance()).isEqualTo(Duration.ofMinutes(5));
    assertThat(faults.blockedLoopLimit()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void kafkaTimeoutsComeFromTheEnvironmentOverTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("c.json"),
        "{\"kafka\": {\"startTimeout\": \"20s\", \"outageTolerance\": \"2m\"}, \"dispatch\": {\"blockedLoopLimit\": \"5s\"}}");

    FaultTolerance fromFile = ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())).faults();
    FaultTolerance fromEnv = ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString(),
        "POSTROOM_KAFKA_START_TIMEOUT", "3s", "POSTROOM_KAFKA_OUTAGE_TOLERANCE", "30s")).faults();

    assertThat(fromFile).isEqualTo(new FaultTolerance(Duration.ofSeconds(20), Duration.ofMinutes(2),
        Duration.ofSeconds(5)));
    assertThat(fromEnv.kafkaStartTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(fromEnv.kafkaOutageTolerance()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aStartTimeoutThatIsNoDurationNamesTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_KAFKA_START_TIMEOUT", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("POSTROOM_KAFKA_START_TIMEOUT: 'soon' is not a duration such as 250ms, 10s, 5m or 1h");
  }

  @Test
  void kafkaIsAskedOftenEnoughToHonourAShortToleranceButAtMostEveryFiveSeconds() {
    assertThat(new FaultTolerance(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofMinutes(1))
        .kafkaCheckInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(new FaultTolerance(Duration.ofSeconds(15), Duration.ofSeconds(6), Duration.ofMinutes(1))
        .kafkaCheckInterval()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void environmentDescribesTheFirstRelay() {
    PostroomConfig config = ConfigLoader.load(Map.of(
        "POSTROOM_RELAY_HOST", "relay.example.gov.in",
        "POSTROOM_RELAY_PORT", "465",
        "POSTROOM_RELAY_TLS", "implicit",
        "POSTROOM_RELAY_USERNAME", "svc-notify",
        "POSTROOM_RELAY_PASSWORD", "s3cret",
        "POSTROOM_RELAY_POOL_SIZE", "4"));

    RelayConfig relay = config.relays().get(0);
    assertThat(relay.host()).isEqualTo("relay.example.gov.in");
    assertThat(relay.port()).isEqualTo(465);
    assertThat(relay.tls()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(relay.username()).isEqualTo("svc-notify");
    assertThat(relay.password().reveal()).isEqualTo("s3cret");
    assertThat(relay.poolSize()).isEqualTo(4);
  }

  @Test
  void plaintextIsRefusedWithoutTheDevelopmentFlag() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RELAY_TLS", "none")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("POSTROOM_RELAY_TLS:")
        .hasMessageContaining("POSTROOM_ALLOW_PLAINTEXT=true");
  }

  @Test
  void plaintextIsAllowedWithTheDevelopmentFlag() {
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_RELAY_TLS", "none", "POSTROOM_ALLOW_PLAINTEXT", "true"));

    assertThat(config.relays().get(0).tls()).isEqualTo(TlsMode.NONE);
  }

  @Test
  void unknownTlsModeNamesTheKeyAndTheAllowedValues() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RELAY_TLS", "ssl")))
        .hasMessage("POSTROOM_RELAY_TLS: 'ssl' is not one of starttls, implicit, none");
  }

  @Test
  void badPortNamesTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RELAY_PORT", "smtp")))
        .hasMessage("POSTROOM_RELAY_PORT: 'smtp' is not a whole number");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RELAY_PORT", "70000")))
        .hasMessageStartingWith("POSTROOM_RELAY_PORT: 70000 is not a TCP port");
  }

  @Test
  void usernameWithoutPasswordIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RELAY_USERNAME", "svc")))
        .hasMessageStartingWith("POSTROOM_RELAY_PASSWORD:");
  }

  @Test
  void passwordIsReadFromFileWithoutTrailingNewline() throws IOException {
    Path secret = Files.writeString(dir.resolve("password"), "from-a-file\n");

    PostroomConfig config = ConfigLoader.load(Map.of(
        "POSTROOM_RELAY_USERNAME", "svc", "POSTROOM_RELAY_PASSWORD_FILE", secret.toString()));

    assertThat(config.relays().get(0).password().reveal()).isEqualTo("from-a-file");
  }

  @Test
  void unreadableTrustPemIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RELAY_TRUST_PEM", "/nonexistent/ca.pem")))
        .hasMessage("POSTROOM_RELAY_TRUST_PEM: cannot read PEM file /nonexistent/ca.pem");
  }

  @Test
  void secretsPrintAsStars() {
    PostroomConfig config = ConfigLoader.load(Map.of(
        "POSTROOM_RELAY_USERNAME", "svc", "POSTROOM_RELAY_PASSWORD", "hunter2"));

    assertThat(config.toString()).doesNotContain("hunter2").contains("***");
  }

  @Test
  void fileDescribesSeveralRelaysAndTheEnvironmentOverridesTheFirst() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"kafka": {"bootstrap": "k1:9092", "topics": {"jobs": "jobs.in"}},
         "relays": [
           {"name": "primary", "host": "relay-a", "port": 25, "sendTimeout": "30s"},
           {"name": "implicit", "host": "relay-a", "port": 465, "tls": "implicit"}],
         "dispatch": {"maxInFlight": 64, "maxAttempts": 3, "retryInitial": "250ms"}}
        """);

    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString(), "POSTROOM_RELAY_HOST", "relay-b"));

    assertThat(config.kafka().bootstrapServers()).isEqualTo("k1:9092");
    assertThat(config.kafka().jobsTopic()).isEqualTo("jobs.in");
    assertThat(config.relays()).extracting(RelayConfig::name).containsExactly("primary", "implicit");
    assertThat(config.relays().get(0).host()).isEqualTo("relay-b");
    assertThat(config.relays().get(0).sendTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.relays().get(1).host()).isEqualTo("relay-a");
    assertThat(config.relays().get(1).tls()).isEqualTo(TlsMode.IMPLICIT);
    assertThat(config.dispatch().maxInFlight()).isEqualTo(64);
    assertThat(config.dispatch().maxAttempts()).isEqualTo(3);
    assertThat(config.dispatch().retryInitial()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void badDurationInFileNamesItsPath() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"relays": [{"name": "primary", "sendTimeout": "soon"}]}
        """);

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .hasMessage("relays[0].sendTimeout: 'soon' is not a duration such as 250ms, 10s, 5m or 1h");
  }

  @Test
  void malformedFileIsReported() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), "{not json");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .hasMessageStartingWith("POSTROOM_CONFIG: " + file + " is not a JSON object");
  }

  @Test
  void duplicateRelayNamesAreRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"relays": [{"name": "a"}, {"name": "a"}]}
        """);

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .hasMessage("relays: relay names must be unique");
  }

  @Test
  void noRateLimitByDefault() {
    assertThat(ConfigLoader.load(Map.of()).relays().get(0).rateLimit()).isNull();
  }

  @Test
  void rateLimitFromTheEnvironmentHoldsForTheFirstRelayAndMayBeAFraction() {
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_RATE_LIMIT", "0.5"));

    assertThat(config.relays().get(0).rateLimit()).isEqualTo(0.5);
  }

  @Test
  void aRateLimitThatIsNotAPositiveNumberNamesTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RATE_LIMIT", "fast")))
        .hasMessage("POSTROOM_RATE_LIMIT: 'fast' is not a number of messages per second");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_RATE_LIMIT", "0")))
        .hasMessage("POSTROOM_RATE_LIMIT: must be a positive number of messages per second, got 0");
  }

  @Test
  void tenantsHaveTheirOwnLimitsAndWeightsAndOthersTheDefaults() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"tenants": {"billing": {"rateLimit": 20, "weight": 3}, "alerts": {}}}
        """);

    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString()));

    assertThat(config.tenant("billing")).isEqualTo(new TenantConfig("billing", 20.0, 3, null));
    assertThat(config.tenant("alerts")).isEqualTo(new TenantConfig("alerts", null, 1, null));
    assertThat(config.tenant("unknown")).isEqualTo(new TenantConfig("unknown", null, 1, null));
  }

  @Test
  void aBadTenantWeightNamesItsPath() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"tenants": {"billing": {"weight": 0}}}
        """);

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .hasMessage("tenants.billing.weight: must be a positive whole number, got 0");
  }

  @Test
  void retryTiersAndLaneCapacityHaveDefaults() {
    DispatchConfig dispatch = ConfigLoader.load(Map.of()).dispatch();

    assertThat(dispatch.retryTiers()).containsExactly(
        Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));
    assertThat(dispatch.laneCapacity()).isEqualTo(170); // two thirds of the default maxInFlight, 256
  }

  @Test
  void laneCapacityDefaultsToTwoThirdsOfMaxInFlight() {
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_MAX_IN_FLIGHT", "100"));

    assertThat(config.dispatch().laneCapacity()).isEqualTo(66);
  }

  @Test
  void instancesDefaultToTheNumberOfCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_RELAY_POOL_SIZE", Integer.toString(cores)));

    assertThat(config.dispatch().instances()).isEqualTo(cores);
  }

  @Test
  void instancesAreReadFromTheEnvironment() {
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_DISPATCHER_INSTANCES", "3"));

    assertThat(config.dispatch().instances()).isEqualTo(3);
  }

  @Test
  void instancesAreNeverMoreThanTheSmallestRelayPool() {
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_DISPATCHER_INSTANCES", "4",
        "POSTROOM_RELAY_POOL_SIZE", "2"));

    assertThat(config.dispatch().instances()).isEqualTo(2);
  }

  @Test
  void aBadInstanceCountNamesItsVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_DISPATCHER_INSTANCES", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("POSTROOM_DISPATCHER_INSTANCES");
  }

  @Test
  void eachInstanceTakesItsPartOfThePoolTheInFlightBoundAndTheLanes() {
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_DISPATCHER_INSTANCES", "3",
        "POSTROOM_RELAY_POOL_SIZE", "8", "POSTROOM_MAX_IN_FLIGHT", "256"));

    List<PostroomConfig> parts = List.of(config.forInstance(0), config.forInstance(1), config.forInstance(2));

    assertThat(parts).extracting(part -> part.relays().get(0).poolSize()).containsExactly(3, 3, 2);
    assertThat(parts).allSatisfy(part -> {
      assertThat(part.dispatch().maxInFlight()).isEqualTo(86);
      assertThat(part.dispatch().laneCapacity()).isEqualTo(57);
      assertThat(part.dispatch().instances()).isEqualTo(1);
      assertThat(part.relays().get(0).rateLimit()).isEqualTo(config.relays().get(0).rateLimit());
    });
  }

  @Test
  void laneCapacityIsAtLeastOneWhateverMaxInFlight() {
    PostroomConfig config = ConfigLoader.load(Map.of("POSTROOM_MAX_IN_FLIGHT", "2"));

    assertThat(config.dispatch().laneCapacity()).isEqualTo(1);
  }

  @Test
  void retryTiersAndLaneCapacityAreReadFromTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"dispatch": {"retryTiers": ["250ms", "5s", "2m"], "laneCapacity": 10}}
        """);

    DispatchConfig dispatch = ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())).dispatch();

    assertThat(dispatch.retryTiers()).isEqualTo(List.of(Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofMinutes(2)));
    assertThat(dispatch.laneCapacity()).isEqualTo(10);
  }

  @Test
  void retryAndLaneTopicsAreNamedAfterTheDefaultJobsTopic() {
    KafkaSection kafka = ConfigLoader.load(Map.of()).kafka();

    assertThat(kafka.retryTopicPrefix()).isEqualTo("mail.jobs.retry");
    assertThat(kafka.laneTopicPrefix()).isEqualTo("mail.jobs.lanes");
  }

  @Test
  void retryAndLaneTopicsFollowAConfiguredJobsTopic() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"kafka": {"topics": {"jobs": "jobs.in"}}}
        """);

    KafkaSection kafka = ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())).kafka();

    assertThat(kafka.retryTopicPrefix()).isEqualTo("jobs.in.retry");
    assertThat(kafka.laneTopicPrefix()).isEqualTo("jobs.in.lanes");
  }

  @Test
  void retryAndLaneTopicPrefixesCanBeSetOnTheirOwn() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"kafka": {"topics": {"jobs": "jobs.in", "retryPrefix": "postroom.wait", "lanesPrefix": "postroom.overflow"}}}
        """);

    KafkaSection kafka = ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())).kafka();

    assertThat(kafka.retryTopicPrefix()).isEqualTo("postroom.wait");
    assertThat(kafka.laneTopicPrefix()).isEqualTo("postroom.overflow");
  }

  @Test
  void unsortedRetryTiersNameTheKey() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"dispatch": {"retryTiers": ["1m", "10s"]}}
        """);

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("dispatch.retryTiers: ")
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("dispatch.retryTiers");
  }

  @Test
  void duplicateRetryTiersNameTheKey() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"dispatch": {"retryTiers": ["10s", "10s"]}}
        """);

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("dispatch.retryTiers: ");
  }

  @Test
  void aBadRetryTierNamesItsPosition() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"dispatch": {"retryTiers": ["10s", "soon"]}}
        """);

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .hasMessage("dispatch.retryTiers[1]: 'soon' is not a duration such as 250ms, 10s, 5m or 1h");
  }

  @Test
  void anEmptyRetryTierListIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), """
        {"dispatch": {"retryTiers": []}}
        """);

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("dispatch.retryTiers: ");
  }
}
