package io.postroom.api.http;

/** A configuration value the api cannot start with; the message names the key. */
public final class ApiConfigException extends RuntimeException {
  private final String key;

  public ApiConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
