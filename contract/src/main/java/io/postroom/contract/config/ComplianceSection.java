package io.postroom.contract.config;

import static io.postroom.contract.config.ConfigValues.object;
import static io.postroom.contract.config.ConfigValues.text;

import io.postroom.contract.Address;
import io.postroom.contract.AddressException;
import io.postroom.contract.compliance.TokenKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code compliance} section of the configuration, shared by the dispatcher (which puts the
 * unsubscribe link and the VERP sender in each mail), the api (which answers the link) and the bounce
 * reader (which reads the VERP sender back).
 *
 * @param tokenKeys the keys of unsubscribe and bounce tokens ({@code compliance.tokenKeysFile},
 *     {@code POSTROOM_TOKEN_KEYS_FILE}); null when none is configured: then no mail carries an
 *     unsubscribe link or a VERP sender, and the api's {@code /u/} answers 404
 * @param unsubscribeBaseUrl where the api is reached from the internet ({@code
 *     compliance.unsubscribe.baseUrl}, {@code POSTROOM_UNSUBSCRIBE_BASE_URL}): links are {@code
 *     <baseUrl>/u/<token>}; https, or http for a loopback host (a demo)
 * @param unsubscribeMailto the mailbox of the {@code mailto:} unsubscribe ({@code
 *     compliance.unsubscribe.mailto}, {@code POSTROOM_UNSUBSCRIBE_MAILTO}); null for none
 */
public record ComplianceSection(TokenKeys tokenKeys, String unsubscribeBaseUrl, String unsubscribeMailto) {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  /** The section of {@code file} (the parsed {@code POSTROOM_CONFIG}), with the environment's overrides. */
  public static ComplianceSection read(JsonObject file, Map<String, String> env) {
    JsonObject compliance = object(file, "compliance", "compliance");
    JsonObject unsubscribe = object(compliance, "unsubscribe", "compliance.unsubscribe");
    ConfigValues.Source keysFile = ConfigValues.Source.of(env, "POSTROOM_TOKEN_KEYS_FILE", compliance, "tokenKeysFile",
        "compliance.tokenKeysFile");
    ConfigValues.Source baseUrl = ConfigValues.Source.of(env, "POSTROOM_UNSUBSCRIBE_BASE_URL", unsubscribe, "baseUrl",
        "compliance.unsubscribe.baseUrl");
    ConfigValues.Source mailto = ConfigValues.Source.of(env, "POSTROOM_UNSUBSCRIBE_MAILTO", unsubscribe, "mailto",
        "compliance.unsubscribe.mailto");
    return new ComplianceSection(tokenKeys(keysFile), baseUrl(baseUrl), mailbox(mailto));
  }

  /** Nothing configured: no tokens, no links. */
  public static ComplianceSection none() {
    return new ComplianceSection(null, null, null);
  }

  public Optional<TokenKeys> keys() {
    return Optional.ofNullable(tokenKeys);
  }

  /** The one-click link for a token, or empty without a base URL. */
  public Optional<String> unsubscribeLink(String token) {
    return Optional.ofNullable(unsubscribeBaseUrl).map(base -> base + "/u/" + token);
  }

  private static TokenKeys tokenKeys(ConfigValues.Source source) {
    String file = text(source, null);
    if (file == null) {
      return null;
    }
    try {
      return TokenKeys.parse(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new ConfigException(source.key(), "the file '" + file + "' cannot be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source.key(), "the file '" + file + "': " + e.getMessage());
    }
  }

  private static String baseUrl(ConfigValues.Source source) {
    String url = text(source, null);
    if (url == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(source.key(), "'" + url + "' is not a URL");
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    boolean loopbackHttp = "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
        && LOOPBACK.contains(uri.getHost());
    if (!(https || loopbackHttp) || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new ConfigException(source.key(), "'" + url
          + "' must be an https URL without query or fragment (http only for localhost)");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String mailbox(ConfigValues.Source source) {
    String address = text(source, null);
    if (address == null) {
      return null;
    }
    try {
      Address parsed = Address.parse(address);
      if (parsed.displayName() != null) {
        throw new ConfigException(source.key(), "must be a bare address, without a display name");
      }
      return parsed.email();
    } catch (AddressException e) {
      throw new ConfigException(source.key(), "'" + address + "' is not an address: " + e.getMessage());
    }
  }
}
