package io.postroom.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An error answer in the shape of RFC 9457 (problem details, {@code application/problem+json}):
 * {@code type} (a stable URN a client can switch on), {@code title}, {@code status}, {@code detail}
 * (a sentence a person can act on) and, for invalid jobs, {@code errors}: each with its stable
 * {@code code}, the {@code field} path and a {@code message}.
 */
public final class Problem {
  public static final String CONTENT_TYPE = "application/problem+json";
  private final JsonObject json;

  private Problem(JsonObject json) {
    this.json = json;
  }

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(new JsonObject().put("type", "urn:postroom:problem:" + slug).put("title", title)
        .put("status", status).put("detail", detail));
  }

  public Problem withErrors(JsonArray errors) {
    return with("errors", errors);
  }

  /** An extension member (RFC 9457, 3.2), e.g. the jobs accepted before Kafka stopped answering. */
  public Problem with(String member, Object value) {
    JsonObject copy = json.copy();
    copy.put(member, value instanceof JsonArray array ? array.copy()
        : value instanceof JsonObject object ? object.copy() : value);
    return new Problem(copy);
  }

  public int status() {
    return json.getInteger("status");
  }

  public String type() {
    return json.getString("type");
  }

  public JsonObject toJson() {
    return json.copy();
  }
}
