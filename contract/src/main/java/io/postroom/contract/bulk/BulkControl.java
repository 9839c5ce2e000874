package io.postroom.contract.bulk;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * The state a tenant asked its bulk send to be in: one record of {@code mail.bulk.control}
 * (compacted), key {@link #key}, value {@code {"tenant", "id", "state", "at"}}. The api writes it
 * (cancel, pause, resume); every dispatcher reads the topic and holds the latest per send.
 */
public record BulkControl(String tenant, String id, Mode mode, Instant at) {

  /** What the send is asked to do. */
  public enum Mode {
    /** Send (the state of a send nobody asked anything of). */
    RUNNING,
    /** Hold every recipient not yet handed to the relay until resumed. */
    PAUSED,
    /** Send no more: every recipient not yet handed to the relay ends CANCELLED. */
    CANCELLED
  }

  /** The record key: {@code <tenant>/<bulk id>}; a bulk id holds no "/". */
  public static String key(String tenant, String id) {
    return tenant + "/" + id;
  }

  public String key() {
    return key(tenant, id);
  }

  public JsonObject toJson() {
    return new JsonObject().put("tenant", tenant).put("id", id).put("state", mode.name()).put("at", at.toString());
  }

  /** A record's value, or empty when it is not a control record (a reader skips it). */
  public static Optional<BulkControl> fromJson(byte[] value) {
    try {
      JsonObject json = Buffer.buffer(value).toJsonObject();
      String tenant = json.getString("tenant");
      String id = json.getString("id");
      if (tenant == null || id == null || json.getString("state") == null) {
        return Optional.empty();
      }
      String at = json.getString("at");
      return Optional.of(new BulkControl(tenant, id, Mode.valueOf(json.getString("state")),
          at == null ? Instant.EPOCH : Instant.parse(at)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
