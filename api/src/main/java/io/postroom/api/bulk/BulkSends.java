package io.postroom.api.bulk;

import io.postroom.contract.bulk.BulkControl;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bulk sends uploaded through the api, as read back from {@code mail.bulk} (a record per part,
 * key {@code <tenant>/<id>/<part>}, value {@link #partRecord}) and {@code mail.bulk.control} (the
 * wanted state: {@link BulkControl}). Small: one entry per part
 * and per control, never per recipient. Thread-safe: applied on a follower's thread.
 */
public final class BulkSends {
  /** One uploaded part: how many recipients were published in how many chunks, and how many were refused. */
  public record Part(int part, int accepted, int rejected, int chunks, String at) {
    JsonObject toJson() {
      return new JsonObject().put("part", part).put("accepted", accepted).put("rejected", rejected)
          .put("chunks", chunks).put("at", at);
    }
  }

  private record Send(String tenant, SortedMap<Integer, Part> parts, BulkControl.Mode control) {
  }

  /** Told of each part read, on the follower's thread (the dashboard lists the sends being uploaded). */
  public interface Uploads {
    void part(String tenant, String id, Instant at);
  }

  /** Bulk id → what is known of it; the tenant is its owner. */
  private final Map<String, Send> sends = new ConcurrentHashMap<>();
  private final Uploads uploads;

  public BulkSends(Uploads uploads) {
    this.uploads = uploads;
  }

  public static String partKey(String tenant, String id, int part) {
    return tenant + "/" + id + "/" + part;
  }

  public static JsonObject partRecord(String tenant, String id, Part part) {
    return part.toJson().put("tenant", tenant).put("id", id);
  }

  /** A record of {@code mail.bulk}; one that cannot be read is skipped. */
  public void applyPart(byte[] value) {
    JsonObject json = read(value);
    if (json == null || json.getString("id") == null || json.getString("tenant") == null
        || !(json.getValue("part") instanceof Number)) {
      return;
    }
    Part part = new Part(json.getInteger("part"), json.getInteger("accepted", 0), json.getInteger("rejected", 0),
        json.getInteger("chunks", 0), json.getString("at"));
    Send applied = sends.compute(json.getString("id"), (id, send) -> {
      if (send != null && !send.tenant().equals(json.getString("tenant"))) {
        return send; // the id belongs to the tenant that used it first
      }
      SortedMap<Integer, Part> parts = new TreeMap<>(send == null ? Map.of() : send.parts());
      parts.put(part.part(), part);
      return new Send(json.getString("tenant"), parts, send == null ? BulkControl.Mode.RUNNING : send.control());
    });
    if (applied.parts().get(part.part()) == part) {
      uploads.part(applied.tenant(), json.getString("id"), instant(part.at()));
    }
  }

  /** The recipients accepted in all the tenant's parts of the send. */
  public long accepted(String tenant, String id) {
    return parts(tenant, id).values().stream().mapToLong(Part::accepted).sum();
  }

  private static Instant instant(String at) {
    try {
      return at == null ? null : Instant.parse(at);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A record of {@code mail.bulk.control} ({@link BulkControl}); one that cannot be read is skipped. */
  public void applyControl(byte[] value) {
    BulkControl control = value == null ? null : BulkControl.fromJson(value).orElse(null);
    if (control == null) {
      return;
    }
    sends.compute(control.id(), (id, send) -> send == null
        ? new Send(control.tenant(), new TreeMap<>(), control.mode())
        : send.tenant().equals(control.tenant()) ? new Send(send.tenant(), send.parts(), control.mode()) : send);
  }

  /** The tenant that uploaded a bulk send with this id, if any did. */
  public Optional<String> owner(String id) {
    return Optional.ofNullable(sends.get(id)).map(Send::tenant);
  }

  /** The tenant's bulk send's parts, by number; empty when it uploaded none. */
  public SortedMap<Integer, Part> parts(String tenant, String id) {
    Send send = sends.get(id);
    return send == null || !send.tenant().equals(tenant) ? new TreeMap<>() : send.parts();
  }

  /** The state the tenant last asked for; RUNNING when it never asked. */
  public BulkControl.Mode control(String tenant, String id) {
    Send send = sends.get(id);
    return send == null || !send.tenant().equals(tenant) ? BulkControl.Mode.RUNNING : send.control();
  }

  private static JsonObject read(byte[] value) {
    try {
      return value == null ? null : Buffer.buffer(value).toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
