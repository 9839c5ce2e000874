package io.postroom.api.bulk;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Violation;
import io.postroom.contract.bulk.BulkJob;
import io.postroom.contract.bulk.Recipient;
import io.postroom.contract.bulk.RecipientEntry;
import io.postroom.contract.bulk.RecipientProblem;
import io.postroom.contract.bulk.RecipientSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Reads the recipients of one uploaded part and publishes the good ones as chunk records
 * ({@link BulkChunker}), at most {@code inFlight} chunks unanswered by Kafka at a time: the reading
 * waits for Kafka, so memory stays at a few chunks whatever the number of recipients. Each bad
 * recipient is counted and the first {@code problemsListed} are kept to be reported; the good ones
 * are not affected. Blocks: run it on a worker thread.
 */
public final class BulkUpload {
  /** Where the chunks go: {@code mail.jobs}, or a test's list. */
  @FunctionalInterface
  public interface ChunkSink {
    CompletionStage<?> publish(BulkChunker.Chunk chunk);
  }

  /**
   * What became of the part.
   *
   * @param problems the first bad recipients, each {@code {"line" or "index", "key", "errors"}}
   * @param failure why publishing stopped (Kafka did not take a chunk), or null; then only the
   *     recipients of the {@code chunks} published are safe
   */
  public record Outcome(int accepted, int rejected, int chunks, JsonArray problems, String failure) {
  }

  private final ChunkSink sink;
  private final int chunkRecipients;
  private final int maxChunkBytes;
  private final int problemsListed;
  private final int inFlight;

  public BulkUpload(ChunkSink sink, int chunkRecipients, int maxChunkBytes, int problemsListed, int inFlight) {
    this.sink = sink;
    this.chunkRecipients = chunkRecipients;
    this.maxChunkBytes = maxChunkBytes;
    this.problemsListed = problemsListed;
    this.inFlight = inFlight;
  }

  /**
   * Publishes the part; closes the source.
   *
   * @param where names a recipient in a problem: {@code {"line": 7}} for CSV, {@code {"index": 3}} for JSON
   */
  public Outcome run(BulkJob bulk, int part, RecipientSource source,
      Function<RecipientEntry, JsonObject> where) throws InterruptedException {
    BulkChunker chunker = new BulkChunker(bulk, part, chunkRecipients, maxChunkBytes);
    Semaphore permits = new Semaphore(inFlight);
    AtomicReference<String> failure = new AtomicReference<>();
    int accepted = 0;
    int published = 0;
    int acceptedPublished = 0;
    int rejected = 0;
    JsonArray problems = new JsonArray();
    try (source) {
      while (source.hasNext() && failure.get() == null) {
        RecipientEntry entry = source.next();
        List<Violation> violations;
        if (entry instanceof Recipient recipient) {
          byte[] json = BulkChunker.json(recipient);
          if (chunker.fits(json)) {
            accepted++;
            BulkChunker.Chunk chunk = chunker.add(json);
            if (chunk != null) {
              publish(chunk, permits, failure);
              published++;
              acceptedPublished += chunk.recipients();
            }
            continue;
          }
          violations = List.of(new Violation(ErrorCode.TOO_LARGE, "vars", "the recipient's variables take "
              + json.length + " bytes, more than a chunk of " + maxChunkBytes + " bytes holds (api.bulk.maxChunkBytes)"));
        } else {
          violations = ((RecipientProblem) entry).violations();
        }
        rejected++;
        if (problems.size() < problemsListed) {
          problems.add(where.apply(entry).put("key", entry.key()).put("errors", errors(violations)));
        }
      }
      if (failure.get() == null) {
        for (BulkChunker.Chunk chunk : chunker.finish()) {
          publish(chunk, permits, failure);
          published++;
          acceptedPublished += chunk.recipients();
        }
      }
    } finally {
      permits.acquire(inFlight);
    }
    return failure.get() == null
        ? new Outcome(accepted, rejected, published, problems, null)
        : new Outcome(acceptedPublished, rejected, published, problems, failure.get());
  }

  private void publish(BulkChunker.Chunk chunk, Semaphore permits, AtomicReference<String> failure)
      throws InterruptedException {
    permits.acquire();
    sink.publish(chunk).whenComplete((ok, error) -> {
      if (error != null) {
        failure.compareAndSet(null, "chunk " + chunk.number() + " was not taken: " + error.getMessage());
      }
      permits.release();
    });
  }

  /** Each violation as {@code {"code", "field", "message"}}, as every problem document lists errors. */
  public static JsonArray errors(List<Violation> violations) {
    JsonArray errors = new JsonArray();
    for (Violation v : violations) {
      errors.add(new JsonObject().put("code", v.code().name()).put("field", v.field()).put("message", v.message()));
    }
    return errors;
  }
}
