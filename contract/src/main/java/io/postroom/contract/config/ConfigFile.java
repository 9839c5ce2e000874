package io.postroom.contract.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration file every Postroom process reads: the JSON object at the path in
 * {@code POSTROOM_CONFIG}, or an empty one when the variable is not set. Each process takes its
 * own sections from it (the dispatcher {@code kafka}, {@code relays}, {@code dispatch},
 * {@code tenants}; the api {@code kafka}, {@code api}, {@code tenants}).
 */
public final class ConfigFile {
  public static final String VARIABLE = "POSTROOM_CONFIG";

  private ConfigFile() {
  }

  public static JsonObject read(Map<String, String> env) {
    String path = env.get(VARIABLE);
    if (path == null || path.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(Path.of(path), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(VARIABLE, "cannot read " + path + " (" + (e instanceof java.nio.file.NoSuchFileException
          ? "no such file" : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage())
          + ")");
    } catch (DecodeException e) {
      throw new ConfigException(VARIABLE, path + " is not a JSON object: " + e.getMessage());
    }
  }
}
