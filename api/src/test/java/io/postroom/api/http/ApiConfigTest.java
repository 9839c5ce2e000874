package io.postroom.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.JobValidator;
import io.postroom.contract.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiConfigTest {

  private static final String ACME_HASH = ApiKeys.hash("pr_acme-secret-key");

  @TempDir
  Path dir;

  private Map<String, String> envWithConfig(String json) throws IOException {
    Path file = dir.resolve("postroom.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return Map.of("POSTROOM_CONFIG", file.toString());
  }

  private ApiConfig load(String json) throws IOException {
    return ApiConfig.load(envWithConfig(json));
  }

  @Test
  void withoutAConfigFileEverySettingHasItsDefault() {
    ApiConfig config = ApiConfig.load(Map.of());

    assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.kafka().jobsTopic()).isEqualTo("mail.jobs");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.maxBatch()).isEqualTo(500);
    assertThat(config.maxBodyBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.maxMessageBytes()).isEqualTo(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);
    assertThat(config.requestsPerSecondPerKey()).isEqualTo(50);
    assertThat(config.kafka().properties()).isEmpty();
    assertThat(config.apiKeys()).isEmpty();
    assertThat(config.senderDomains()).isEmpty();
  }

  @Test
  void anEmptyConfigFileGivesTheDefaults() throws IOException {
    ApiConfig config = load("{}");

    assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(config.kafka().jobsTopic()).isEqualTo("mail.jobs");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.maxBatch()).isEqualTo(500);
  }

  @Test
  void theFileSetsKafkaAndApiSettings() throws IOException {
    ApiConfig config = load("""
        {
          "kafka": {"bootstrap": "kafka-1:9092", "topics": {"jobs": "acme.jobs"},
                    "properties": {"acks": "all", "linger.ms": 5}},
          "api": {"port": 9000, "maxBatch": 100, "maxBodyBytes": 1048576,
                  "maxMessageBytes": 2048, "requestsPerSecondPerKey": 7}
        }
        """);

    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-1:9092");
    assertThat(config.kafka().jobsTopic()).isEqualTo("acme.jobs");
    assertThat(config.kafka().properties()).containsOnly(Map.entry("acks", "all"), Map.entry("linger.ms", "5"));
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.maxBatch()).isEqualTo(100);
    assertThat(config.maxBodyBytes()).isEqualTo(1_048_576);
    assertThat(config.maxMessageBytes()).isEqualTo(2048);
    assertThat(config.requestsPerSecondPerKey()).isEqualTo(7);
  }

  @Test
  void theEnvironmentPortOverridesTheFile() throws IOException {
    Map<String, String> env = new HashMap<>(envWithConfig("{\"api\": {\"port\": 9000}}"));
    env.put("POSTROOM_API_PORT", "9100");

    assertThat(ApiConfig.load(env).port()).isEqualTo(9100);
  }

  @Test
  void theEnvironmentBootstrapOverridesTheFile() throws IOException {
    Map<String, String> env = new HashMap<>(envWithConfig("{\"kafka\": {\"bootstrap\": \"kafka-1:9092\"}}"));
    env.put("POSTROOM_KAFKA_BOOTSTRAP", "kafka-2:9092");

    assertThat(ApiConfig.load(env).kafka().bootstrapServers()).isEqualTo("kafka-2:9092");
  }

  @Test
  void aBadPortInTheEnvironmentIsReportedUnderItsVariable() {
    assertThatThrownBy(() -> ApiConfig.load(Map.of("POSTROOM_API_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("POSTROOM_API_PORT")
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("POSTROOM_API_PORT");
  }

  @Test
  void portZeroIsAllowed() throws IOException {
    assertThat(load("{\"api\": {\"port\": 0}}").port()).isZero();
  }

  @Test
  void aPortAbove65535IsRefused() throws IOException {
    Map<String, String> env = envWithConfig("{\"api\": {\"port\": 65536}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("api.port");
  }

  @Test
  void tenantsApiKeysAndSenderDomainsAreRead() throws IOException {
    ApiConfig config = load("""
        {"tenants": {
          "acme": {"apiKeys": ["%s"], "senderDomains": ["acme.example", " mail.acme.example "]},
          "globex": {}
        }}
        """.formatted(ACME_HASH));

    assertThat(config.apiKeys()).containsOnly(Map.entry("acme", List.of(ACME_HASH)), Map.entry("globex", List.of()));
    assertThat(config.senderDomains()).containsOnly(
        Map.entry("acme", List.of("acme.example", "mail.acme.example")), Map.entry("globex", List.of()));
  }

  @Test
  void theKeysReadFromTheFileIdentifyTheirTenant() throws IOException {
    ApiConfig config = load("{\"tenants\": {\"acme\": {\"apiKeys\": [\"" + ACME_HASH + "\"]}}}");

    assertThat(new ApiKeys(config.apiKeys()).tenantOf("pr_acme-secret-key")).contains("acme");
  }

  @Test
  void oneKeyConfiguredForTwoTenantsIsRefused() throws IOException {
    Map<String, String> env = envWithConfig("{\"tenants\": {\"acme\": {\"apiKeys\": [\"" + ACME_HASH + "\"]},"
        + " \"globex\": {\"apiKeys\": [\"" + ACME_HASH + "\"]}}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tenants.globex.apiKeys[0]")
        .hasMessageContaining("also configured for tenant 'acme'");
  }

  @Test
  void aFractionalWholeNumberSettingIsRefusedRatherThanRoundedDown() throws IOException {
    Map<String, String> env = envWithConfig("{\"api\": {\"maxBatch\": 2.9}}");

    assertThatThrownBy(() -> ApiConfig.load(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("api.maxBatch");
  }

  @Test
  void aMalformedKeyHashIsReportedUnderItsKeyWithHowToMakeOne() throws IOException {
    Map<String, String> env = envWithConfig("{\"tenants\": {\"acme\": {\"apiKeys\": [\"pr_acme-secret-key\"]}}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tenants.acme.apiKeys[0]")
        .hasMessageContaining("bin/postroom api-key acme")
        .asInstanceOf(InstanceOfAssertFactories.type(ConfigException.class))
        .extracting(ConfigException::key).isEqualTo("tenants.acme.apiKeys[0]");
  }

  @Test
  void theIndexOfAMalformedKeyHashIsNamed() throws IOException {
    Map<String, String> env = envWithConfig(
        "{\"tenants\": {\"acme\": {\"apiKeys\": [\"" + ACME_HASH + "\", \"sha256:nothex\"]}}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("tenants.acme.apiKeys[1]");
  }

  @Test
  void aTenantThatIsNotAnObjectIsRefused() throws IOException {
    Map<String, String> env = envWithConfig("{\"tenants\": {\"acme\": \"yes\"}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("tenants.acme");
  }

  @Test
  void aBlankSenderDomainIsRefused() throws IOException {
    Map<String, String> env = envWithConfig("{\"tenants\": {\"acme\": {\"senderDomains\": [\" \"]}}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("tenants.acme.senderDomains[0]");
  }

  @Test
  void maxBatchZeroIsRefusedNamingTheKey() throws IOException {
    Map<String, String> env = envWithConfig("{\"api\": {\"maxBatch\": 0}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("api.maxBatch:")
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("api.maxBatch");
  }

  @Test
  void aNonNumericSettingIsRefusedNamingTheKey() throws IOException {
    Map<String, String> env = envWithConfig("{\"api\": {\"maxBatch\": \"many\"}}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a whole number")
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("api.maxBatch");
  }

  @Test
  void aFileThatIsNotJsonIsRefusedNamingPostroomConfig() throws IOException {
    Map<String, String> env = envWithConfig("kafka: {bootstrap: localhost:9092}");

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("POSTROOM_CONFIG:")
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("POSTROOM_CONFIG");
  }

  @Test
  void aMissingFileIsRefusedNamingPostroomConfig() {
    Map<String, String> env = Map.of("POSTROOM_CONFIG", dir.resolve("absent.json").toString());

    assertThatThrownBy(() -> ApiConfig.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read")
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("POSTROOM_CONFIG");
  }

  @Test
  void bulkSendsAndTemplatesHaveTheirDefaultsAndTheirTopicsFollowTheKafkaSection() throws IOException {
    ApiConfig defaults = ApiConfig.load(Map.of());
    ApiConfig set = load("{\"kafka\": {\"topics\": {\"templates\": \"t\", \"bulk\": \"b\", \"bulkControl\": \"c\"}},"
        + " \"api\": {\"bulk\": {\"chunkRecipients\": 250, \"maxChunkBytes\": 500000, \"problemsListed\": 5,"
        + " \"uploadDir\": \"/var/tmp/uploads\"}}}");

    assertThat(defaults.bulk()).isEqualTo(new io.postroom.api.bulk.BulkSettings(1000, 900_000, 2L << 30, 100,
        Path.of(System.getProperty("java.io.tmpdir"))));
    assertThat(set.bulk()).isEqualTo(new io.postroom.api.bulk.BulkSettings(250, 500_000, 2L << 30, 5,
        Path.of("/var/tmp/uploads")));
    assertThat(List.of(set.kafka().templatesTopic(), set.kafka().bulkTopic(), set.kafka().bulkControlTopic()))
        .containsExactly("t", "b", "c");
  }

  @Test
  void aBulkSettingOutOfRangeNamesItsKey() {
    assertThatThrownBy(() -> load("{\"api\": {\"bulk\": {\"chunkRecipients\": 0}}}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("api.bulk.chunkRecipients");
    assertThatThrownBy(() -> load("{\"api\": {\"bulk\": {\"maxChunkBytes\": \"big\"}}}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("api.bulk.maxChunkBytes");
  }
}
