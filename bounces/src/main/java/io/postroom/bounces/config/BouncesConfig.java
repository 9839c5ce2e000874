package io.postroom.bounces.config;

import static io.postroom.contract.config.ConfigValues.duration;
import static io.postroom.contract.config.ConfigValues.object;
import static io.postroom.contract.config.ConfigValues.text;

import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.config.ComplianceSection;
import io.postroom.contract.config.ConfigException;
import io.postroom.contract.config.ConfigFile;
import io.postroom.contract.config.ConfigValues.Source;
import io.postroom.contract.config.KafkaSection;
import io.postroom.contract.config.Secret;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bounce reader's configuration: the {@code bounces} section of the file in {@code
 * POSTROOM_CONFIG}, the shared {@code kafka} and {@code compliance} sections, and the environment's
 * overrides. Built once at start; every bad value is a {@link ConfigException} naming its key.
 *
 * @param tokenKeys the keys the VERP addresses were made with (required: without them no bounce
 *     can be trusted)
 * @param pollInterval how often the mailbox is read ({@code bounces.pollInterval}, default 10 s)
 * @param stateDir the sent index, processed reports and soft-bounce counts ({@code bounces.stateDir},
 *     {@code POSTROOM_BOUNCES_STATE_DIR}); rebuilt from {@code mail.status} when empty
 * @param unknownGrace how long a report of a mail the sent index does not know yet waits
 *     ({@code bounces.unknownGrace}, default 1 h)
 * @param softBounceLimit soft bounces of one address ({@code bounces.softBounceLimit}, default 3) ...
 * @param softBounceWindow ... within this time ({@code bounces.softBounceWindow}, default 7d) suppress it
 * @param processedFolder where read reports go ({@code bounces.processedFolder})
 * @param asideFolder where reports that cannot be used go, with their reason ({@code bounces.asideFolder})
 * @param httpPort health and metrics ({@code bounces.http.port}, {@code POSTROOM_BOUNCES_HTTP_PORT}, default 8082)
 */
public record BouncesConfig(KafkaSection kafka, TokenKeys tokenKeys, ImapSettings imap, Duration pollInterval,
    Path stateDir, Duration unknownGrace, int softBounceLimit, Duration softBounceWindow, String processedFolder,
    String asideFolder, int httpPort) {
  public static final int DEFAULT_HTTP_PORT = 8082;
  private static final Pattern DAYS = Pattern.compile("(\\d+)\\s*d");

  public static BouncesConfig fromEnvironment() {
    return read(ConfigFile.read(System.getenv()), System.getenv());
  }

  public static BouncesConfig read(JsonObject file, Map<String, String> env) {
    KafkaSection kafka = KafkaSection.read(file, env).forProcess("postroom-bounces");
    TokenKeys keys = ComplianceSection.read(file, env).keys().orElseThrow(() -> new ConfigException(
        "compliance.tokenKeysFile", "the bounce reader needs the token keys the dispatchers sign VERP addresses with "
        + "(compliance.tokenKeysFile or POSTROOM_TOKEN_KEYS_FILE)"));
    JsonObject bounces = object(file, "bounces", "bounces");
    JsonObject http = object(bounces, "http", "bounces.http");
    Duration pollInterval = duration("bounces.pollInterval", bounces.getValue("pollInterval"), Duration.ofSeconds(10));
    Path stateDir = Path.of(text(Source.of(env, "POSTROOM_BOUNCES_STATE_DIR", bounces, "stateDir", "bounces.stateDir"),
        "postroom-bounces-state"));
    Duration unknownGrace = duration("bounces.unknownGrace", bounces.getValue("unknownGrace"), Duration.ofHours(1));
    int softLimit = number("bounces.softBounceLimit", bounces.getValue("softBounceLimit"), 3, 1, 1000);
    Duration softWindow = days("bounces.softBounceWindow", bounces.getValue("softBounceWindow"), Duration.ofDays(7));
    String processed = text("bounces.processedFolder", bounces.getValue("processedFolder"), "Postroom.Processed");
    String aside = text("bounces.asideFolder", bounces.getValue("asideFolder"), "Postroom.Unparseable");
    ImapSettings imap = imap(object(bounces, "imap", "bounces.imap"), env);
    if (processed.equals(imap.folder()) || aside.equals(imap.folder()) || processed.equals(aside)) {
      throw new ConfigException("bounces.asideFolder", "bounces.imap.folder, bounces.processedFolder and "
          + "bounces.asideFolder must be three different folders (a report moved into the folder it is read from "
          + "would be read again)");
    }
    Source port = Source.of(env, "POSTROOM_BOUNCES_HTTP_PORT", http, "port", "bounces.http.port");
    int httpPort = number(port.key(), port.value(), DEFAULT_HTTP_PORT, 0, 65535);
    return new BouncesConfig(kafka, keys, imap, pollInterval, stateDir, unknownGrace, softLimit, softWindow, processed,
        aside, httpPort);
  }

  private static ImapSettings imap(JsonObject imap, Map<String, String> env) {
    String host = text(Source.of(env, "POSTROOM_BOUNCES_IMAP_HOST", imap, "host", "bounces.imap.host"), null);
    if (host == null) {
      throw new ConfigException("bounces.imap.host", "the IMAP server of the bounce mailbox is required "
          + "(bounces.imap.host or POSTROOM_BOUNCES_IMAP_HOST)");
    }
    Source tlsSource = Source.of(env, "POSTROOM_BOUNCES_IMAP_TLS", imap, "tls", "bounces.imap.tls");
    String tlsName = text(tlsSource, "starttls");
    ImapTls tls = switch (tlsName.toLowerCase(Locale.ROOT)) {
      case "starttls" -> ImapTls.STARTTLS;
      case "implicit" -> ImapTls.IMPLICIT;
      default -> throw new ConfigException(tlsSource.key(), "'" + tlsName + "' is not one of starttls, implicit "
          + "(there is no clear-text IMAP)");
    };
    Source portSource = Source.of(env, "POSTROOM_BOUNCES_IMAP_PORT", imap, "port", "bounces.imap.port");
    int port = number(portSource.key(), portSource.value(), tls == ImapTls.STARTTLS ? 143 : 993, 1, 65535);
    String username = text(Source.of(env, "POSTROOM_BOUNCES_IMAP_USERNAME", imap, "username", "bounces.imap.username"),
        null);
    if (username == null) {
      throw new ConfigException("bounces.imap.username", "the bounce mailbox's user is required "
          + "(bounces.imap.username or POSTROOM_BOUNCES_IMAP_USERNAME)");
    }
    Secret password = password(env);
    Source trust = Source.of(env, "POSTROOM_BOUNCES_IMAP_TRUST_PEM", imap, "trustPem", "bounces.imap.trustPem");
    Path trustPem = null;
    if (trust.value() != null) {
      trustPem = Path.of(text(trust, null));
      if (!Files.isReadable(trustPem)) {
        throw new ConfigException(trust.key(), "cannot read PEM file " + trustPem);
      }
    }
    String folder = text("bounces.imap.folder", imap.getValue("folder"), "INBOX");
    Duration timeout = duration("bounces.imap.timeout", imap.getValue("timeout"), Duration.ofSeconds(30));
    return new ImapSettings(host, port, tls, username, password, trustPem, folder, timeout);
  }

  /** Only from the environment (a Secret in Kubernetes), never from the config file. */
  private static Secret password(Map<String, String> env) {
    String password = env.get("POSTROOM_BOUNCES_IMAP_PASSWORD");
    String file = env.get("POSTROOM_BOUNCES_IMAP_PASSWORD_FILE");
    if (password != null && file != null) {
      throw new ConfigException("POSTROOM_BOUNCES_IMAP_PASSWORD_FILE", "set either a password or a password file, "
          + "not both");
    }
    if (password != null) {
      return Secret.of(password);
    }
    if (file == null) {
      throw new ConfigException("POSTROOM_BOUNCES_IMAP_PASSWORD", "the bounce mailbox's password is required "
          + "(POSTROOM_BOUNCES_IMAP_PASSWORD or POSTROOM_BOUNCES_IMAP_PASSWORD_FILE)");
    }
    try {
      // files mounted from Kubernetes secrets often end with a newline that is not part of the password
      return Secret.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new ConfigException("POSTROOM_BOUNCES_IMAP_PASSWORD_FILE", "cannot read password file " + file + " ("
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
          : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()) + ")");
    }
  }

  private static int number(String key, Object value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(String.valueOf(value).trim());
      if (n < min || n > max) {
        throw new ConfigException(key, n + " is not between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + value + "' is not a whole number");
    }
  }

  /** A duration as everywhere else, or a number of days ({@code 7d}). */
  private static Duration days(String key, Object value, Duration fallback) {
    if (value != null) {
      Matcher m = DAYS.matcher(String.valueOf(value).trim());
      if (m.matches()) {
        return duration(key, Long.parseLong(m.group(1)) * 24 + "h", fallback);
      }
    }
    return duration(key, value, fallback);
  }
}
