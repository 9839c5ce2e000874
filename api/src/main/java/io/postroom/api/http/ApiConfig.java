package io.postroom.api.http;

import static io.postroom.contract.config.ConfigValues.object;

import io.postroom.api.bulk.BulkSettings;
import io.postroom.contract.JobValidator;
import io.postroom.contract.config.ComplianceSection;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.ConfigFile;
import io.postroom.contract.config.KafkaSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The api's configuration, from the same file as the dispatcher's ({@code POSTROOM_CONFIG}: its
 * {@code kafka}, {@code api} and {@code tenants} sections) and the environment. Checked once at
 * start; a bad value stops the start with an {@link ConfigException} naming the key.
 *
 * @param kafka the shared {@code kafka} section; its {@code consumerGroup} is the dispatchers', whose
 *     backlog the dashboard shows
 * @param dispatchers base URLs of the dispatchers' health and metrics ports, for the dashboard's
 *     relay panel ({@code api.dispatchers}, {@code POSTROOM_API_DISPATCHERS}, comma-separated)
 * @param stateDir where the job status store keeps its files ({@code api.stateDir}, {@code POSTROOM_API_STATE_DIR})
 * @param apiKeys each tenant's API key hashes ({@code tenants.<name>.apiKeys})
 * @param senderDomains each tenant's allowed sender domains ({@code tenants.<name>.senderDomains})
 * @param bulk how bulk sends are taken ({@code api.bulk}); their topics are the kafka section's
 * @param unsubscribeRequestsPerSecondPerClient requests to {@code /u/{token}} per second per client
 *     address ({@code api.unsubscribeRequestsPerSecondPerClient})
 * @param compliance the unsubscribe tokens' keys ({@code compliance}); none: {@code /u/} answers 404
 */
public record ApiConfig(
    KafkaSection kafka,
    java.nio.file.Path stateDir,
    int port,
    int maxBatch,
    long maxBodyBytes,
    long maxMessageBytes,
    double requestsPerSecondPerKey,
    List<String> dispatchers,
    Map<String, List<String>> apiKeys,
    Map<String, List<String>> senderDomains,
    BulkSettings bulk,
    double unsubscribeRequestsPerSecondPerClient,
    ComplianceSection compliance) {

  public static ApiConfig load(Map<String, String> env) {
    JsonObject file = ConfigFile.read(env);
    KafkaSection kafka = KafkaSection.read(file, env).forProcess("postroom-api");
    JsonObject api = object(file, "api", "api");
    Map<String, List<String>> keys = new LinkedHashMap<>();
    Map<String, List<String>> domains = new LinkedHashMap<>();
    Map<String, String> tenantOfHash = new LinkedHashMap<>();
    for (Map.Entry<String, Object> tenant : object(file, "tenants", "tenants")) {
      String prefix = "tenants." + tenant.getKey();
      if (!(tenant.getValue() instanceof JsonObject settings)) {
        throw new ConfigException(prefix, "must be an object");
      }
      List<String> hashes = strings(prefix + ".apiKeys", settings.getValue("apiKeys"));
      for (int i = 0; i < hashes.size(); i++) {
        try {
          ApiKeys.parse(hashes.get(i));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(prefix + ".apiKeys[" + i + "]", e.getMessage()
              + " (bin/postroom api-key " + tenant.getKey() + " makes a key and its hash)");
        }
        String other = tenantOfHash.putIfAbsent(hashes.get(i).toLowerCase(java.util.Locale.ROOT), tenant.getKey());
        if (other != null) {
          throw new ConfigException(prefix + ".apiKeys[" + i + "]", "this key is also configured for tenant '"
              + other + "'; a key must belong to one tenant only");
        }
      }
      keys.put(tenant.getKey(), hashes);
      domains.put(tenant.getKey(), strings(prefix + ".senderDomains", settings.getValue("senderDomains")));
    }
    String port = env.getOrDefault("POSTROOM_API_PORT", stringOrNull(api.getValue("port")));
    return new ApiConfig(
        kafka,
        Path.of(env.getOrDefault("POSTROOM_API_STATE_DIR",
            api.getValue("stateDir") == null ? "postroom-api-state" : String.valueOf(api.getValue("stateDir")))),
        (int) number(env.containsKey("POSTROOM_API_PORT") ? "POSTROOM_API_PORT" : "api.port", port, 8080, 0, 65535),
        (int) number("api.maxBatch", api.getValue("maxBatch"), 500, 1, 10_000),
        number("api.maxBodyBytes", api.getValue("maxBodyBytes"), 64L * 1024 * 1024, 1024, Integer.MAX_VALUE),
        number("api.maxMessageBytes", api.getValue("maxMessageBytes"), JobValidator.DEFAULT_MAX_MESSAGE_BYTES, 1024,
            Long.MAX_VALUE),
        number("api.requestsPerSecondPerKey", api.getValue("requestsPerSecondPerKey"), 50, 1, 1_000_000),
        env.containsKey("POSTROOM_API_DISPATCHERS")
            ? List.of(env.get("POSTROOM_API_DISPATCHERS").split("\\s*,\\s*")).stream().filter(u -> !u.isBlank()).toList()
            : strings("api.dispatchers", api.getValue("dispatchers")),
        Map.copyOf(keys),
        Map.copyOf(domains),
        bulk(object(api, "bulk", "api.bulk")),
        number("api.unsubscribeRequestsPerSecondPerClient", api.getValue("unsubscribeRequestsPerSecondPerClient"), 20, 1,
            1_000_000),
        ComplianceSection.read(file, env));
  }

  private static BulkSettings bulk(JsonObject bulk) {
    return new BulkSettings(
        (int) number("api.bulk.chunkRecipients", bulk.getValue("chunkRecipients"), 1000, 1, 100_000),
        (int) number("api.bulk.maxChunkBytes", bulk.getValue("maxChunkBytes"), 900_000, 10_000, Integer.MAX_VALUE),
        number("api.bulk.maxUploadBytes", bulk.getValue("maxUploadBytes"), 2L << 30, 1024, Long.MAX_VALUE),
        (int) number("api.bulk.problemsListed", bulk.getValue("problemsListed"), 100, 0, 10_000),
        Path.of(bulk.getValue("uploadDir") == null ? System.getProperty("java.io.tmpdir")
            : String.valueOf(bulk.getValue("uploadDir"))));
  }

  private static List<String> strings(String key, Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(key, "must be a list of strings");
    }
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s) || s.isBlank()) {
        throw new ConfigException(key + "[" + i + "]", "must be a non-empty string");
      }
      strings.add(s.trim());
    }
    return List.copyOf(strings);
  }

  private static String stringOrNull(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  private static long number(String key, Object value, long fallback, long min, long max) {
    if (value == null) {
      return fallback;
    }
    try {
      if (value instanceof Number number && number.doubleValue() != number.longValue()) {
        throw new ConfigException(key, "must be a whole number, got " + value);
      }
      long n = value instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(value).trim());
      if (n < min || n > max) {
        throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + value + "' is not a whole number");
    }
  }
}
