package io.postroom.dispatcher.config;

import io.postroom.contract.config.Secret;
import static io.postroom.contract.config.ConfigValues.duration;
import static io.postroom.contract.config.ConfigValues.text;

import io.postroom.contract.JobValidator;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.ComplianceSection;
import io.postroom.contract.config.ConfigFile;
import io.postroom.contract.config.KafkaSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link PostroomConfig} from the file named by {@code POSTROOM_CONFIG} (JSON) and the
 * environment, which overrides the common keys of the file. Every value is checked here, once, at
 * start-up; a bad one stops the start with a {@link ConfigException} naming the key.
 *
 * <p>Runs before Vert.x starts, so it may read files.
 */
public final class ConfigLoader {
  public static final int DEFAULT_POOL_SIZE = 8;

  private final Map<String, String> env;

  private ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public static PostroomConfig fromEnvironment() {
    return load(System.getenv());
  }

  public static PostroomConfig load(Map<String, String> env) {
    return new ConfigLoader(env).build();
  }

  private PostroomConfig build() {
    JsonObject file = ConfigFile.read(env);
    boolean allowPlaintext = bool("POSTROOM_ALLOW_PLAINTEXT",
        firstNonNull(env.get("POSTROOM_ALLOW_PLAINTEXT"), file.getValue("allowPlaintext")), false);
    KafkaSection kafka = KafkaSection.read(file, env).forProcess("postroom-dispatcher");
    List<RelayConfig> relays = relays(file.getJsonArray("relays", new JsonArray()), allowPlaintext);
    DispatchConfig dispatch = dispatch(file.getJsonObject("dispatch", new JsonObject()),
        relays.stream().mapToInt(RelayConfig::poolSize).min().orElse(1));
    int httpPort = httpPort("POSTROOM_HTTP_PORT",
        firstNonNull(env.get("POSTROOM_HTTP_PORT"), file.getJsonObject("http", new JsonObject()).getValue("port")));
    return new PostroomConfig(kafka, relays, dispatch, httpPort, allowPlaintext,
        tenants(file.getJsonObject("tenants", new JsonObject())),
        new FaultTolerance(kafka.startTimeout(), kafka.outageTolerance(),
            duration("dispatch.blockedLoopLimit", file.getJsonObject("dispatch", new JsonObject())
                .getValue("blockedLoopLimit"), Duration.ofSeconds(60))),
        positive("dkim.rescanInterval", duration("dkim.rescanInterval",
            section(file, "dkim").getValue("rescanInterval"), PostroomConfig.DEFAULT_DKIM_RESCAN)),
        ComplianceSection.read(file, env),
        domain(io.postroom.contract.config.ConfigValues.Source.of(env, "POSTROOM_BOUNCE_DOMAIN",
            file.getJsonObject("compliance", new JsonObject()), "bounceDomain", "compliance.bounceDomain")),
        Path.of(text(io.postroom.contract.config.ConfigValues.Source.of(env, "POSTROOM_STATE_DIR",
                file.getJsonObject("dispatch", new JsonObject()), "stateDir", "dispatch.stateDir"),
            Path.of(System.getProperty("java.io.tmpdir"), "postroom-dispatcher").toString())));
  }

  private static String domain(io.postroom.contract.config.ConfigValues.Source source) {
    return domain(source.key(), source.value());
  }

  private List<RelayConfig> relays(JsonArray array, boolean allowPlaintext) {
    List<JsonObject> entries = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException("relays[" + i + "]", "must be an object");
      }
      entries.add(o);
    }
    if (entries.isEmpty()) {
      entries.add(new JsonObject().put("name", "primary"));
    }
    List<RelayConfig> relays = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      // the environment describes the first relay: the common case of a single relay needs no file
      relays.add(relay("relays[" + i + "]", entries.get(i), i == 0, allowPlaintext));
    }
    long distinctNames = relays.stream().map(RelayConfig::name).distinct().count();
    if (distinctNames != relays.size()) {
      throw new ConfigException("relays", "relay names must be unique");
    }
    return relays;
  }

  private RelayConfig relay(String prefix, JsonObject json, boolean fromEnv, boolean allowPlaintext) {
    // a value missing everywhere is named by the variable for the first relay: the usual way to set it
    Key k = (envName, field) -> fromEnv && (env.get(envName) != null || json.getValue(field) == null)
        ? new Source(envName, env.get(envName))
        : new Source(prefix + "." + field, json.getValue(field));
    Source tlsSource = k.of("POSTROOM_RELAY_TLS", "tls");
    TlsMode tls = tlsSource.value == null ? TlsMode.STARTTLS : TlsMode.parse(tlsSource.key, String.valueOf(tlsSource.value));
    if (tls == TlsMode.NONE && !allowPlaintext) {
      throw new ConfigException(tlsSource.key, "'none' sends credentials and mail in clear and is refused;"
          + " set POSTROOM_ALLOW_PLAINTEXT=true only on a development machine");
    }
    Source host = k.of("POSTROOM_RELAY_HOST", "host");
    Source port = k.of("POSTROOM_RELAY_PORT", "port");
    Source username = k.of("POSTROOM_RELAY_USERNAME", "username");
    Source password = k.of("POSTROOM_RELAY_PASSWORD", "password");
    Source passwordFile = k.of("POSTROOM_RELAY_PASSWORD_FILE", "passwordFile");
    Source trust = k.of("POSTROOM_RELAY_TRUST_PEM", "trustPem");
    Source pool = k.of("POSTROOM_RELAY_POOL_SIZE", "poolSize");
    Source rate = k.of("POSTROOM_RATE_LIMIT", "rateLimit");

    String user = username.value == null ? null : text(username.key, username.value, null);
    Secret secret = secret(password, passwordFile);
    if (user != null && secret == null) {
      throw new ConfigException(password.key, "a username is set but no password (or password file)");
    }
    if (user == null && secret != null) {
      throw new ConfigException(username.key, "a password is set but no username");
    }
    Path trustPem = null;
    if (trust.value != null) {
      trustPem = Path.of(String.valueOf(trust.value));
      if (!Files.isReadable(trustPem)) {
        throw new ConfigException(trust.key, "cannot read PEM file " + trustPem);
      }
    }
    int defaultPort = tls == TlsMode.IMPLICIT ? 465 : 25;
    return new RelayConfig(
        text(prefix + ".name", json.getValue("name"), "relay" + prefix.replaceAll("\\D", "")),
        text(host.key, host.value, "localhost"),
        port(port.key, port.value, defaultPort),
        tls,
        user,
        secret,
        trustPem,
        positiveInt(pool.key, pool.value, DEFAULT_POOL_SIZE),
        positiveLong(prefix + ".maxMessageBytes", json.getValue("maxMessageBytes"),
            JobValidator.DEFAULT_MAX_MESSAGE_BYTES),
        positiveInt(prefix + ".maxMailsPerConnection", json.getValue("maxMailsPerConnection"), 1000),
        duration(prefix + ".connectTimeout", json.getValue("connectTimeout"), Duration.ofSeconds(10)),
        duration(prefix + ".sendTimeout", json.getValue("sendTimeout"), Duration.ofSeconds(60)),
        duration(prefix + ".idleTimeout", json.getValue("idleTimeout"), Duration.ofSeconds(60)),
        text(prefix + ".ownHostname", json.getValue("ownHostname"), null),
        rate(rate.key, rate.value));
  }

  private Map<String, TenantConfig> tenants(JsonObject json) {
    Map<String, TenantConfig> tenants = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      String key = "tenants." + entry.getKey();
      if (!(entry.getValue() instanceof JsonObject tenant)) {
        throw new ConfigException(key, "must be an object such as {\"rateLimit\": 20, \"weight\": 1}");
      }
      tenants.put(entry.getKey(), new TenantConfig(entry.getKey(),
          rate(key + ".rateLimit", tenant.getValue("rateLimit")),
          positiveInt(key + ".weight", tenant.getValue("weight"), 1),
          dkim(key + ".dkim", tenant.getValue("dkim")),
          domain(key + ".bounceDomain", tenant.getValue("bounceDomain"))));
    }
    return tenants;
  }

  /** A DNS domain name (letters, digits, '-' in labels of at most 63 characters), lower-cased; null when absent. */
  static String domain(String key, Object value) {
    String domain = text(key, value, null);
    if (domain == null) {
      return null;
    }
    domain = domain.toLowerCase(java.util.Locale.ROOT);
    if (domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
      throw new ConfigException(key, "'" + value + "' is not a domain name such as bounces.example.gov.in");
    }
    return domain;
  }

  private static final java.util.regex.Pattern DOMAIN =
      java.util.regex.Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

  /** A tenant's {@code dkim} block, or null when it has none. The keys themselves are read at start. */
  private static TenantDkim dkim(String key, Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject dkim)) {
      throw new ConfigException(key, "must be an object such as {\"keysDir\": \"/etc/postroom/dkim\","
          + " \"whenMissing\": \"send\"}");
    }
    for (String field : dkim.fieldNames()) {
      if (!field.equals("keysDir") && !field.equals("whenMissing")) {
        throw new ConfigException(key + "." + field, "is not a key of a tenant's dkim block (keysDir, whenMissing)");
      }
    }
    String dir = text(key + ".keysDir", dkim.getValue("keysDir"), null);
    if (dir == null || dir.isBlank()) {
      throw new ConfigException(key + ".keysDir", "is required: the directory holding <domain>/<selector>.pem");
    }
    Path keysDir = Path.of(dir);
    if (!Files.isDirectory(keysDir) || !Files.isReadable(keysDir)) {
      throw new ConfigException(key + ".keysDir", "cannot read directory " + keysDir);
    }
    return new TenantDkim(keysDir, TenantDkim.WhenMissing.parse(key + ".whenMissing", dkim.getValue("whenMissing")));
  }

  private static JsonObject section(JsonObject file, String name) {
    Object value = file.getValue(name);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject section)) {
      throw new ConfigException(name, "must be an object");
    }
    return section;
  }

  private static Duration positive(String key, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new ConfigException(key, "must be longer than zero, got " + value);
    }
    return value;
  }

  /** Messages per second: a positive number, fractions allowed (0.5 is one every two seconds). */
  private static Double rate(String key, Object value) {
    if (value == null || String.valueOf(value).isBlank()) {
      return null;
    }
    try {
      double rate = value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value).trim());
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new ConfigException(key, "must be a positive number of messages per second, got " + value);
      }
      return rate;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + value + "' is not a number of messages per second");
    }
  }

  private Secret secret(Source password, Source passwordFile) {
    if (password.value != null && passwordFile.value != null) {
      throw new ConfigException(passwordFile.key, "set either a password or a password file, not both");
    }
    if (password.value != null) {
      return Secret.of(String.valueOf(password.value));
    }
    if (passwordFile.value == null) {
      return null;
    }
    Path file = Path.of(String.valueOf(passwordFile.value));
    try {
      // files mounted from Kubernetes secrets often end with a newline that is not part of the password
      return Secret.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new ConfigException(passwordFile.key, "cannot read password file " + file + " ("
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
          : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()) + ")");
    }
  }

  /** @param fewestConnections the smallest relay pool: no more instances than that, each needs a connection */
  private DispatchConfig dispatch(JsonObject json, int fewestConnections) {
    Duration retryInitial = duration("dispatch.retryInitial", json.getValue("retryInitial"), Duration.ofSeconds(1));
    Duration retryMax = duration("dispatch.retryMax", json.getValue("retryMax"), Duration.ofMinutes(1));
    Duration relayInitial = duration("dispatch.relayBackoffInitial", json.getValue("relayBackoffInitial"), Duration.ofSeconds(1));
    Duration relayMax = duration("dispatch.relayBackoffMax", json.getValue("relayBackoffMax"), Duration.ofSeconds(30));
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new ConfigException("dispatch.retryMax", "must not be smaller than dispatch.retryInitial");
    }
    if (relayMax.compareTo(relayInitial) < 0) {
      throw new ConfigException("dispatch.relayBackoffMax", "must not be smaller than dispatch.relayBackoffInitial");
    }
    int maxInFlight = positiveInt("POSTROOM_MAX_IN_FLIGHT",
        firstNonNull(env.get("POSTROOM_MAX_IN_FLIGHT"), json.getValue("maxInFlight")), 256);
    return new DispatchConfig(
        maxInFlight,
        positiveInt("POSTROOM_MAX_ATTEMPTS", firstNonNull(env.get("POSTROOM_MAX_ATTEMPTS"), json.getValue("maxAttempts")), 5),
        retryInitial,
        retryMax,
        relayInitial,
        relayMax,
        duration("dispatch.commitInterval", json.getValue("commitInterval"), Duration.ofMillis(500)),
        duration("dispatch.shutdownDeadline", json.getValue("shutdownDeadline"), Duration.ofSeconds(20)),
        positiveInt("dispatch.dedupeCapacity", json.getValue("dedupeCapacity"), 100_000),
        retryTiers(json.getValue("retryTiers")),
        positiveInt("dispatch.laneCapacity", json.getValue("laneCapacity"), Math.max(1, maxInFlight * 2 / 3)),
        Math.min(fewestConnections, positiveInt("POSTROOM_DISPATCHER_INSTANCES",
            firstNonNull(env.get("POSTROOM_DISPATCHER_INSTANCES"), json.getValue("instances")),
            Runtime.getRuntime().availableProcessors())));
  }

  /** A list of distinct durations, shortest first, such as ["10s", "1m", "10m", "1h"]. */
  private static List<Duration> retryTiers(Object value) {
    String key = "dispatch.retryTiers";
    if (value == null) {
      return List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(key, "must be a non-empty list of durations such as [\"10s\", \"1m\", \"10m\", \"1h\"]");
    }
    List<Duration> tiers = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) == null) {
        throw new ConfigException(key + "[" + i + "]", "must be a duration such as 10s");
      }
      Duration tier = duration(key + "[" + i + "]", array.getValue(i), null);
      if (!tiers.isEmpty() && tier.compareTo(tiers.get(tiers.size() - 1)) <= 0) {
        throw new ConfigException(key, "tiers must be distinct and listed shortest first, got " + array.encode());
      }
      tiers.add(tier);
    }
    return tiers;
  }

  private static Object firstNonNull(Object a, Object b) {
    return a != null ? a : b;
  }

  private static boolean bool(String key, Object value, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    String s = String.valueOf(value).trim().toLowerCase();
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, "'" + value + "' is not true or false");
    };
  }

  /** 0 asks for any free port: what tests that run several dispatchers need. */
  private static int httpPort(String key, Object value) {
    if (value != null && String.valueOf(value).trim().equals("0")) {
      return 0;
    }
    return port(key, value, 8081);
  }

  private static int port(String key, Object value, int fallback) {
    int port = positiveInt(key, value, fallback);
    if (port > 65535) {
      throw new ConfigException(key, port + " is not a TCP port (1..65535)");
    }
    return port;
  }

  private static int positiveInt(String key, Object value, int fallback) {
    long v = positiveLong(key, value, fallback);
    if (v > Integer.MAX_VALUE) {
      throw new ConfigException(key, v + " is too large");
    }
    return (int) v;
  }

  private static long positiveLong(String key, Object value, long fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      long v = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
      if (v <= 0) {
        throw new ConfigException(key, "must be a positive whole number, got " + value);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + value + "' is not a whole number");
    }
  }

  /** "250ms", "10s", "5m", "1h", or a bare number of milliseconds. */

  /** A value and the key it came from, so that errors name the key the user actually set. */
  private record Source(String key, Object value) {
  }

  @FunctionalInterface
  private interface Key {
    Source of(String envName, String field);
  }
}
