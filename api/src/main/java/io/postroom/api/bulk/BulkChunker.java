package io.postroom.api.bulk;

import io.postroom.contract.bulk.BulkJob;
import io.postroom.contract.bulk.Recipient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the accepted recipients of one uploaded part into chunk records for {@code mail.jobs}, each
 * small enough for a dispatcher to expand at once and for the producer to send
 * ({@code max.request.size}): the bulk job's own fields, then
 * <pre>{@code "chunk": 3, "lastChunk": true, "recipients": [{"key", "to", "vars"}, …]}</pre>
 * with at most {@code maxRecipients} recipients and {@code maxBytes} bytes. Chunks of a part are
 * numbered from 1; the last one says so ({@code "lastChunk": true}), so a dispatcher knows the
 * part is complete. The record key is {@code <bulk id>/<part>/<chunk>}: chunks spread over the
 * partitions, and a part uploaded again writes the same keys.
 *
 * <p>Holds one finished chunk back until the next one starts or {@link #finish()} is called, since
 * only then is it known whether it is the last; so at most two chunks are in memory.
 */
public final class BulkChunker {
  /** A chunk ready for {@code mail.jobs}. */
  public record Chunk(String key, int number, int recipients, Buffer value) {
  }

  private final String keyPrefix;
  private final byte[] head;
  private final int maxRecipients;
  private final int maxBytes;
  private Buffer recipients = Buffer.buffer();
  private int count;
  private int number;
  private Chunk held;

  /**
   * @throws IllegalArgumentException when the bulk job's fields alone leave no room for a recipient within {@code maxBytes}
   */
  public BulkChunker(BulkJob bulk, int part, int maxRecipients, int maxBytes) {
    this.keyPrefix = bulk.id() + "/" + part + "/";
    String encoded = fields(bulk, part).encode();
    this.head = encoded.substring(0, encoded.length() - 1).getBytes(StandardCharsets.UTF_8);
    this.maxRecipients = maxRecipients;
    this.maxBytes = maxBytes;
    if (head.length + 100 > maxBytes) {
      throw new IllegalArgumentException("the bulk job's own fields take " + head.length + " bytes, which leaves no"
          + " room for recipients in a chunk of at most " + maxBytes + " bytes (api.bulk.maxChunkBytes)");
    }
  }

  /**
   * The bulk job's own fields as every chunk carries them, written from what was read (so a JSON
   * and a CSV upload make the same chunks): kind, id, tenant, from, replyTo, template (its three
   * parts) or templateRef, priority, notBefore, expiresAt, maxRate, stream, and the part.
   */
  public static JsonObject fields(BulkJob bulk, int part) {
    JsonObject fields = new JsonObject().put("kind", "bulk").put("id", bulk.id()).put("tenant", bulk.tenant())
        .put("from", bulk.from().toString());
    if (bulk.replyTo() != null) {
      fields.put("replyTo", bulk.replyTo().toString());
    }
    if (bulk.template().needsRegistry()) {
      fields.put("templateRef", new JsonObject().put("name", bulk.template().ref().name())
          .put("version", bulk.template().ref().version()));
    } else {
      fields.put("template", bulk.template().inline().toJson());
    }
    fields.put("priority", bulk.priority().json());
    if (bulk.notBefore() != null) {
      fields.put("notBefore", bulk.notBefore().toString());
    }
    if (bulk.expiresAt() != null) {
      fields.put("expiresAt", bulk.expiresAt().toString());
    }
    if (bulk.maxRate() != null) {
      fields.put("maxRate", bulk.maxRate());
    }
    if (bulk.stream() != null) {
      fields.put("stream", bulk.stream());
    }
    return fields.put("part", part);
  }

  /** Whether the recipient can go into a chunk at all: its JSON fits in one beside the bulk's fields. */
  public boolean fits(byte[] recipient) {
    return head.length + 64 + recipient.length <= maxBytes;
  }

  /** The recipient as a chunk carries it. */
  public static byte[] json(Recipient recipient) {
    return new JsonObject().put("key", recipient.key()).put("to", recipient.to().toString())
        .put("vars", recipient.vars().toJson()).encode().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Adds a recipient (as {@link #json}, which must {@link #fits}); returns the chunk that is now
   * known not to be the last, or null.
   */
  public Chunk add(byte[] recipient) {
    Chunk ready = null;
    if (count == maxRecipients || head.length + 64 + recipients.length() + 1 + recipient.length > maxBytes) {
      ready = hold();
    }
    if (count > 0) {
      recipients.appendByte((byte) ',');
    }
    recipients.appendBytes(recipient);
    count++;
    return ready;
  }

  /** The chunks still to publish, the last one marked so; none when no recipient was added. */
  public List<Chunk> finish() {
    List<Chunk> rest = new ArrayList<>(2);
    if (count > 0) {
      Chunk previous = hold();
      if (previous != null) {
        rest.add(previous);
      }
    }
    if (held != null) {
      rest.add(seal(held, true));
      held = null;
    }
    return rest;
  }

  /** The chunks cut so far. */
  public int chunks() {
    return number;
  }

  /** The recipients so far become the held chunk; returns the one held before, which is not the last. */
  private Chunk hold() {
    Chunk previous = held == null ? null : seal(held, false);
    number++;
    held = new Chunk(keyPrefix + number, number, count, recipients);
    recipients = Buffer.buffer();
    count = 0;
    return previous;
  }

  private Chunk seal(Chunk chunk, boolean last) {
    Buffer value = Buffer.buffer(head.length + chunk.value().length() + 64).appendBytes(head)
        .appendString(",\"chunk\":" + chunk.number() + (last ? ",\"lastChunk\":true" : "") + ",\"recipients\":[")
        .appendBuffer(chunk.value()).appendString("]}");
    return new Chunk(chunk.key(), chunk.number(), chunk.recipients(), value);
  }
}
