package io.postroom.api.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.bulk.BulkJob;
import io.postroom.contract.bulk.BulkJobReader;
import io.postroom.contract.bulk.BulkReading;
import io.postroom.contract.bulk.RecipientCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** A part's recipients become chunk records: how many, which, what each carries, and what is refused. */
class BulkUploadTest {
  private static final BulkJob BULK = BulkJobReader.readFields(new JsonObject()
      .put("kind", "bulk").put("id", "statements-2026-12").put("tenant", "pensions")
      .put("from", "Pensions <noreply@example.gov.in>")
      .put("templateRef", new JsonObject().put("name", "statement").put("version", 3))
      .put("part", 2).put("maxRate", 200)).job();

  private final List<BulkChunker.Chunk> published = new ArrayList<>();

  private CompletionStage<?> publish(BulkChunker.Chunk chunk) {
    published.add(chunk);
    return CompletableFuture.completedFuture(null);
  }

  private static String csv(int rows) {
    StringBuilder csv = new StringBuilder("key,email,name\n");
    for (int i = 0; i < rows; i++) {
      csv.append("c-").append(i).append(",p").append(i).append("@example.org,Person ").append(i).append('\n');
    }
    return csv.toString();
  }

  private BulkUpload.Outcome upload(String csv, int chunkRecipients, int maxChunkBytes, int problemsListed)
      throws InterruptedException {
    CsvRecipients source = new CsvRecipients(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        new RecipientCheck(BULK.id()));
    return new BulkUpload(this::publish, chunkRecipients, maxChunkBytes, problemsListed, 4)
        .run(BULK, 2, source, entry -> new JsonObject().put("line", source.line()));
  }

  private static JsonObject value(BulkChunker.Chunk chunk) {
    return chunk.value().toJsonObject();
  }

  @Test
  void recipientsAreCutIntoChunksOfAtMostTheConfiguredNumberAndOnlyTheLastSaysSo() throws InterruptedException {
    BulkUpload.Outcome outcome = upload(csv(2_500), 1_000, 900_000, 10);

    assertThat(outcome.accepted()).isEqualTo(2_500);
    assertThat(outcome.chunks()).isEqualTo(3);
    assertThat(published).extracting(BulkChunker.Chunk::key)
        .containsExactly("statements-2026-12/2/1", "statements-2026-12/2/2", "statements-2026-12/2/3");
    assertThat(published).extracting(c -> value(c).getJsonArray("recipients").size()).containsExactly(1000, 1000, 500);
    assertThat(published).extracting(c -> value(c).getInteger("chunk")).containsExactly(1, 2, 3);
    assertThat(published).extracting(c -> value(c).getBoolean("lastChunk", false)).containsExactly(false, false, true);
  }

  @Test
  void everyChunkIsABulkJobWithTheSendsFieldsAndItsRecipientsInOrder() throws InterruptedException {
    upload(csv(3), 2, 900_000, 10);

    JsonObject first = value(published.get(0));
    assertThat(first.getString("kind")).isEqualTo("bulk");
    assertThat(first.getString("id")).isEqualTo("statements-2026-12");
    assertThat(first.getString("tenant")).isEqualTo("pensions");
    assertThat(first.getString("from")).contains("noreply@example.gov.in");
    assertThat(first.getJsonObject("templateRef")).isEqualTo(new JsonObject().put("name", "statement").put("version", 3));
    assertThat(first.getInteger("part")).isEqualTo(2);
    assertThat(first.getDouble("maxRate")).isEqualTo(200.0);
    assertThat(first.getJsonArray("recipients")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("key", "c-0").put("to", "p0@example.org").put("vars", new JsonObject().put("name", "Person 0")))
        .add(new JsonObject().put("key", "c-1").put("to", "p1@example.org").put("vars", new JsonObject().put("name", "Person 1"))));
    // the contract's reader takes a chunk as the bulk job it is
    BulkReading reading = BulkJobReader.read(published.get(1).value().getBytes());
    assertThat(reading.valid()).isTrue();
    assertThat(reading.recipientCount()).isEqualTo(1);
  }

  @Test
  void aChunkIsCutEarlierWhenItsBytesWouldPassTheLimit() throws InterruptedException {
    BulkUpload.Outcome outcome = upload(csv(1_000), 1_000, 10_000, 10);

    assertThat(outcome.accepted()).isEqualTo(1_000);
    assertThat(published).hasSizeGreaterThan(5);
    assertThat(published).allSatisfy(chunk -> assertThat(chunk.value().length()).isLessThanOrEqualTo(10_000));
    assertThat(published.stream().mapToInt(c -> value(c).getJsonArray("recipients").size()).sum()).isEqualTo(1_000);
  }

  @Test
  void badRowsAreCountedAndTheFirstOnesListedByLineWhileTheGoodOnesArePublished() throws InterruptedException {
    String csv = "key,email,name\nc-1,a@example.org,A\nc-2,broken,B\nc-1,dup@example.org,C\nc-4,d@example.org,D\n"
        + ",e@example.org,E\n";

    BulkUpload.Outcome outcome = upload(csv, 1_000, 900_000, 2);

    assertThat(outcome.accepted()).isEqualTo(2);
    assertThat(outcome.rejected()).isEqualTo(3);
    assertThat(outcome.problems()).hasSize(2);
    JsonObject first = outcome.problems().getJsonObject(0);
    assertThat(first.getInteger("line")).isEqualTo(3);
    assertThat(first.getString("key")).isEqualTo("c-2");
    assertThat(first.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("BAD_ADDRESS");
    assertThat(outcome.problems().getJsonObject(1).getInteger("line")).isEqualTo(4);
    assertThat(value(published.get(0)).getJsonArray("recipients")).extracting(r -> ((JsonObject) r).getString("key"))
        .containsExactly("c-1", "c-4");
  }

  @Test
  void aPartWithoutGoodRecipientsPublishesNothing() throws InterruptedException {
    BulkUpload.Outcome outcome = upload("key,email\nc-1,nobody\n", 1_000, 900_000, 10);

    assertThat(outcome.accepted()).isZero();
    assertThat(outcome.chunks()).isZero();
    assertThat(published).isEmpty();
  }

  @Test
  void whenKafkaRefusesAChunkThePublishingStopsAndSaysWhy() throws InterruptedException {
    CsvRecipients source = new CsvRecipients(new ByteArrayInputStream(csv(5_000).getBytes(StandardCharsets.UTF_8)),
        new RecipientCheck(BULK.id()));
    BulkUpload.Outcome outcome = new BulkUpload(chunk -> {
      published.add(chunk);
      return CompletableFuture.failedFuture(new IllegalStateException("broker gone"));
    }, 100, 900_000, 10, 1).run(BULK, 2, source, entry -> new JsonObject());

    assertThat(outcome.failure()).contains("broker gone");
    assertThat(published.size()).isLessThan(50);
  }
}
