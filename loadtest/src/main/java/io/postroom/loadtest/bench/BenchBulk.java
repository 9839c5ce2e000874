package io.postroom.loadtest.bench;

import io.postroom.loadtest.baseline.BenchMessage;
import io.postroom.testkit.SampleBulks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The bench's messages as bulk sends, for {@code --bulk}: recipient {@code i} of a run is the
 * {@link BenchMessage} {@code i} (from, to {@code citizen<i>@example.org}, subject
 * {@code Load test <runId> #<i>}, a text of {@code size} bytes), made from one template by the
 * dispatcher when it sends. The run is one send, id {@code runId}, cut into records of
 * {@value #CHUNK} recipients as the api cuts it ({@code api.bulk.chunkRecipients}); recipient
 * {@code i} has the key {@code i}, so its job id is {@code runId/i}. A record's tenant goes round the
 * tenants by its chunk number; its priority is {@code bulk}. Unlike the single jobs, no {@code X-Campaign}
 * header: a bulk job has no headers of its own.
 */
record BenchBulk(String runId, int size) {
  /** Recipients per bulk record: the api's default chunk. */
  static final int CHUNK = 1_000;
  /** The recipient number the template's text is cut for: five digits, as most of a run's. */
  static final int SAMPLE = 10_000;
  private static final String NUMBER = "message " + SAMPLE + ".";

  BenchBulk {
    if (size > BenchMessage.TEXT_ONLY_LIMIT) {
      throw new IllegalArgumentException("a bulk message is a text of at most " + BenchMessage.TEXT_ONLY_LIMIT
          + " bytes, not " + size);
    }
  }

  /**
   * The template: the subject with {@code {{i}}} and a text that renders to exactly {@code size}
   * bytes for a five-digit recipient number (a byte less or more per digit otherwise). Only the first
   * line carries the number; the single job's text repeats it, which changes no size.
   */
  JsonObject template() {
    String text = new BenchMessage(runId, SAMPLE, size).text();
    return new JsonObject()
        .put("subject", new BenchMessage(runId, SAMPLE, size).subject().replace("#" + SAMPLE, "#{{i}}"))
        .put("text", text.replaceFirst(NUMBER.replace(".", "\\."), "message {{i}}."));
  }

  /** Recipient {@code i}: key {@code i}, its address, and the variable {@code i}. */
  static JsonObject recipient(int i) {
    String number = Integer.toString(i);
    return new JsonObject().put("key", number).put("to", new BenchMessage("", i, 0).to())
        .put("vars", new JsonObject().put("i", number));
  }

  /**
   * Where the record that starts at recipient {@code start} ends (exclusive), of a batch that ends
   * at {@code to}: at the next multiple of {@value #CHUNK}, so that every batch's records are cut
   * at the same recipients.
   */
  static int recordEnd(int start, int to) {
    return Math.min(to, (start / CHUNK + 1) * CHUNK);
  }

  /** The job id the dispatcher gives recipient {@code i}. */
  String jobId(int i) {
    return runId + "/" + i;
  }

  /**
   * The record of recipients {@code from} to {@code to - 1}: part 1 of the send, as the api publishes
   * one uploaded part in chunks.
   */
  JsonObject record(int from, int to, int tenants) {
    JsonArray recipients = new JsonArray();
    for (int i = from; i < to; i++) {
      recipients.add(recipient(i));
    }
    int chunk = from / CHUNK;
    return SampleBulks.bulk(runId, 1, "tenant-" + (chunk % tenants + 1), BenchMessage.FROM, template(), "bulk",
        recipients);
  }

  /** The record's key, as the api's: {@code <bulk id>/<part>/<chunk>}, so the chunks spread over the partitions. */
  String recordKey(int from) {
    return runId + "/1/" + from / CHUNK;
  }
}
