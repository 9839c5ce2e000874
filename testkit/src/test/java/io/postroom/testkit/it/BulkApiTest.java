package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.bulk.BulkJobReader;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk sends and templates through the api against a real broker: a JSON bulk job and a streamed
 * CSV upload land on mail.jobs as chunk records with the right recipients and bad rows reported,
 * templates go through mail.templates and back, and a cancel is a record on mail.bulk.control; and
 * the rate of a million-row upload, printed.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class BulkApiTest {
  private static final Duration NOTHING_MORE = Duration.ofSeconds(2);
  private ApiFixture api;

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() {
    if (api != null) {
      api.close();
    }
  }

  private void startApi(Vertx vertx, int chunkRecipients) throws IOException {
    api = ApiFixture.start(vertx, dir, Topics.unique("bulk").create(KafkaBroker.shared(), 4), new JsonObject()
        .put("bulk", new JsonObject().put("chunkRecipients", chunkRecipients).put("uploadDir", dir.toString())));
  }

  static JsonObject bulkJob(String id, JsonArray recipients) {
    return new JsonObject().put("kind", "bulk").put("id", id).put("tenant", "billing")
        .put("from", "Billing <noreply@example.gov.in>")
        .put("template", new JsonObject().put("subject", "Your statement, {{name}}").put("text", "Dear {{name}}"))
        .put("recipients", recipients);
  }

  private static JsonObject recipient(String key, String to, String name) {
    return new JsonObject().put("key", key).put("to", to).put("vars", new JsonObject().put("name", name));
  }

  private HttpResponse<String> csv(String query, String key, HttpRequest.BodyPublisher body) {
    return api.send("POST", "/v1/bulk?" + query, key, "text/csv; charset=utf-8", body);
  }

  private static JsonObject json(ConsumerRecord<String, byte[]> record) {
    return new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
  }

  private void registerStatement() {
    HttpResponse<String> put = api.send("PUT", "/v1/templates/statement", ApiFixture.BILLING_KEY, new JsonObject()
        .put("subject", "Your statement, {{name}}").put("text", "Dear {{name}}, see your statement."));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
  }

  @Test
  void aJsonBulkJobLandsOnMailJobsAsChunkRecordsWithItsGoodRecipients(Vertx vertx) throws IOException {
    startApi(vertx, 2);
    JsonArray recipients = new JsonArray().add(recipient("c-1", "asha@example.org", "Asha"))
        .add(recipient("c-2", "not an address", "Ravi")).add(recipient("c-3", "meera@example.org", "Meera"))
        .add(recipient("c-4", "john@example.org", "John"));

    HttpResponse<String> response = api.send("POST", "/v1/bulk", ApiFixture.BILLING_KEY,
        bulkJob("statements-1", recipients));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getInteger("accepted")).isEqualTo(3);
    assertThat(body.getInteger("rejected")).isEqualTo(1);
    assertThat(body.getInteger("chunks")).isEqualTo(2);
    JsonObject problem = body.getJsonArray("problems").getJsonObject(0);
    assertThat(problem.getInteger("index")).isEqualTo(1);
    assertThat(problem.getString("key")).isEqualTo("c-2");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("BAD_ADDRESS");
    List<ConsumerRecord<String, byte[]>> chunks = api.jobsOnKafka(3);
    assertThat(chunks).extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("statements-1/1/1", "statements-1/1/2");
    assertThat(chunks.stream().flatMap(c -> json(c).getJsonArray("recipients").stream())
        .map(r -> ((JsonObject) r).getString("key"))).containsExactlyInAnyOrder("c-1", "c-3", "c-4");
    assertThat(chunks).allSatisfy(c -> assertThat(BulkJobReader.read(c.value()).valid()).isTrue());
    assertThat(chunks).allSatisfy(c -> assertThat(json(c).getJsonObject("template").getString("subject"))
        .isEqualTo("Your statement, {{name}}"));
  }

  @Test
  void aHundredThousandRowCsvIsStreamedToChunksWithItsBadRowsReportedByLine(Vertx vertx) throws IOException {
    startApi(vertx, 1_000);
    registerStatement();
    int rows = 100_000;
    // lines 1,001, 50,001 and 99,001 (the header is line 1) are bad: address, key twice, no key
    InputStream body = new CsvRows(rows, row -> switch (row) {
      case 999 -> "c-999,not-an-address,Bad";
      case 49_999 -> "c-7,dup@example.org,Dup";
      case 98_999 -> ",nokey@example.org,NoKey";
      default -> null;
    });

    HttpResponse<String> response = csv("id=statements-csv&from=noreply%40example.gov.in&template=statement&version=1",
        ApiFixture.BILLING_KEY, HttpRequest.BodyPublishers.ofInputStream(() -> body));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getInteger("accepted")).isEqualTo(rows - 3);
    assertThat(answer.getInteger("rejected")).isEqualTo(3);
    assertThat(answer.getJsonArray("problems").stream().map(p -> ((JsonObject) p).getInteger("line")))
        .containsExactly(1_001, 50_001, 99_001);
    assertThat(answer.getJsonArray("problems").stream()
        .map(p -> ((JsonObject) p).getJsonArray("errors").getJsonObject(0).getString("code")))
        .containsExactly("BAD_ADDRESS", "DUPLICATE_KEY", "MISSING_FIELD");
    List<ConsumerRecord<String, byte[]>> chunks = api.broker.readAll(api.topics.jobs(), 100, NOTHING_MORE);
    assertThat(chunks).hasSize(100);
    Set<String> keys = chunks.stream().flatMap(c -> json(c).getJsonArray("recipients").stream())
        .map(r -> ((JsonObject) r).getString("key")).collect(Collectors.toSet());
    assertThat(keys).hasSize(rows - 3).contains("c-0", "c-99999").doesNotContain("c-999");
    assertThat(chunks).allSatisfy(c -> assertThat(json(c).getJsonObject("templateRef"))
        .isEqualTo(new JsonObject().put("name", "statement").put("version", 1)));
    JsonObject progress = new JsonObject(api.get(ApiFixture.BILLING_KEY, "/v1/bulk/statements-csv").body());
    assertThat(progress.getInteger("accepted")).isEqualTo(rows - 3);
    assertThat(progress.getInteger("rejected")).isEqualTo(3);
    assertThat(progress.getString("control")).isEqualTo("RUNNING");
  }

  @Test
  void aCsvNamingATemplateThatIsNotRegisteredIsRefusedBeforeItsBodyIsRead(Vertx vertx) throws IOException {
    startApi(vertx, 1_000);

    HttpResponse<String> response = csv("id=s-2&from=noreply%40example.gov.in&template=nothing&version=1",
        ApiFixture.BILLING_KEY, HttpRequest.BodyPublishers.ofString("key,email\nc-1,a@example.org\n"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:postroom:problem:template-not-found");
    assertThat(api.jobsOnKafka(1)).isEmpty();
  }

  @Test
  void aTemplateGoesThroughMailTemplatesAndBackAsVersionsThatRenderInAPreview(Vertx vertx) throws IOException {
    startApi(vertx, 1_000);
    registerStatement();
    HttpResponse<String> second = api.send("PUT", "/v1/templates/statement", ApiFixture.BILLING_KEY, new JsonObject()
        .put("subject", "Statement {{month}}, {{name}}").put("html", "<p>{{name}}</p>"));
    HttpResponse<String> third = api.send("PUT", "/v1/templates/statement", ApiFixture.BILLING_KEY, "application/json",
        HttpRequest.BodyPublishers.ofString("{\"subject\": \"x\", \"text\": \"y\"}"));

    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    assertThat(new JsonObject(second.body()).getInteger("version")).isEqualTo(2);
    assertThat(second.headers().firstValue("Location")).hasValue("/v1/templates/statement/2");
    assertThat(third.statusCode()).isEqualTo(201);
    JsonObject list = new JsonObject(api.get(ApiFixture.BILLING_KEY, "/v1/templates/statement").body());
    assertThat(list.getInteger("latest")).isEqualTo(3);
    assertThat(list.getJsonArray("versions").stream().map(v -> ((JsonObject) v).getInteger("version")))
        .containsExactly(1, 2, 3);
    JsonObject two = new JsonObject(api.get(ApiFixture.BILLING_KEY, "/v1/templates/statement/2").body());
    assertThat(two.getString("html")).isEqualTo("<p>{{name}}</p>");
    assertThat(api.get(ApiFixture.ALERTS_KEY, "/v1/templates/statement").statusCode()).isEqualTo(404);
    List<ConsumerRecord<String, byte[]>> records = api.broker.readAll(api.topics.templates(), 3, NOTHING_MORE);
    assertThat(records).extracting(ConsumerRecord::key)
        .containsExactly("billing/statement/1", "billing/statement/2", "billing/statement/3");

    HttpResponse<String> preview = api.send("POST", "/v1/templates/statement/preview", ApiFixture.BILLING_KEY,
        new JsonObject().put("version", 2).put("vars", new JsonObject().put("name", "<Asha>").put("month", "December")));
    HttpResponse<String> missing = api.send("POST", "/v1/templates/statement/preview", ApiFixture.BILLING_KEY,
        new JsonObject().put("version", 2).put("vars", new JsonObject().put("name", "Asha")));

    assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
    assertThat(new JsonObject(preview.body()).getString("subject")).isEqualTo("Statement December, <Asha>");
    assertThat(new JsonObject(preview.body()).getString("html")).isEqualTo("<p>&lt;Asha&gt;</p>");
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(missing.body()).getJsonArray("variables")).containsExactly("month");
  }

  @Test
  void aTemplateThatDoesNotCompileIsA400SayingWhereAndAStaleIfMatchIs412(Vertx vertx) throws IOException {
    startApi(vertx, 1_000);

    HttpResponse<String> bad = api.send("PUT", "/v1/templates/broken", ApiFixture.BILLING_KEY, new JsonObject()
        .put("subject", "Hi").put("text", "line one\nDear {{#name}} unclosed"));
    registerStatement();
    HttpResponse<String> unauthenticated = api.send("PUT", "/v1/templates/statement", null, "application/json",
        HttpRequest.BodyPublishers.ofString("{}"));
    HttpRequest.Builder conditional = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + api.port
        + "/v1/templates/statement")).PUT(HttpRequest.BodyPublishers.ofString("{\"subject\": \"a\", \"text\": \"b\"}"))
        .header("Authorization", "Bearer " + ApiFixture.BILLING_KEY).header("Content-Type", "application/json")
        .header("If-Match", "\"7\"");

    assertThat(bad.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(bad.body()).getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("code")).isEqualTo("BAD_TEMPLATE");
    assertThat(error.getString("field")).isEqualTo("text");
    assertThat(error.getInteger("line")).isEqualTo(2);
    assertThat(error.getInteger("column")).isEqualTo(6);
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    try {
      HttpResponse<String> precondition = java.net.http.HttpClient.newHttpClient().send(conditional.build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(precondition.statusCode()).isEqualTo(412);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCancelIsARecordOnMailBulkControlAndOnlyTheOwningTenantMayCancel(Vertx vertx) throws IOException {
    startApi(vertx, 1_000);
    api.send("POST", "/v1/bulk", ApiFixture.BILLING_KEY,
        bulkJob("statements-3", new JsonArray().add(recipient("c-1", "asha@example.org", "Asha"))));

    HttpResponse<String> foreign = api.send("POST", "/v1/bulk/statements-3/cancel", ApiFixture.ALERTS_KEY, "application/json",
        HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> cancel = api.send("POST", "/v1/bulk/statements-3/cancel", ApiFixture.BILLING_KEY, null,
        HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> resume = api.send("POST", "/v1/bulk/statements-3/resume", ApiFixture.BILLING_KEY, null,
        HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> more = api.send("POST", "/v1/bulk", ApiFixture.BILLING_KEY,
        bulkJob("statements-3", new JsonArray().add(recipient("c-2", "ravi@example.org", "Ravi"))).put("part", 2));

    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(resume.statusCode()).isEqualTo(409);
    assertThat(more.statusCode()).isEqualTo(409);
    List<ConsumerRecord<String, byte[]>> control = api.broker.readAll(api.topics.bulkControl(), 1, NOTHING_MORE);
    assertThat(control).hasSize(1);
    assertThat(control.get(0).key()).isEqualTo("billing/statements-3");
    assertThat(json(control.get(0)).getString("state")).isEqualTo("CANCELLED");
    assertThat(json(control.get(0)).getString("at")).isNotBlank();
    JsonObject progress = new JsonObject(api.get(ApiFixture.BILLING_KEY, "/v1/bulk/statements-3").body());
    assertThat(progress.getString("control")).isEqualTo("CANCELLED");
    assertThat(api.get(ApiFixture.ALERTS_KEY, "/v1/bulk/statements-3").statusCode()).isEqualTo(404);
  }

  /**
   * Issue 15's upload rate: a 1,000,000-row CSV, printed (rows per second from the first byte sent
   * to the 202), never asserted: a rate depends on the machine and on what else runs on it. The
   * answer must still account for every row.
   */
  @Test
  void aMillionRowCsvUploadIsTakenWholeAndItsRateIsPrinted(Vertx vertx) throws IOException {
    startApi(vertx, 1_000);
    registerStatement();
    int rows = 1_000_000;

    long start = System.nanoTime();
    HttpResponse<String> response = csv("id=rate-1&from=noreply%40example.gov.in&template=statement&version=1",
        ApiFixture.BILLING_KEY, HttpRequest.BodyPublishers.ofInputStream(() -> new CsvRows(rows, row -> null)));
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getInteger("accepted")).isEqualTo(rows);
    assertThat(answer.getInteger("chunks")).isEqualTo(1_000);
    System.out.printf("bulk CSV upload: %,d rows in %.1f s = %,.0f rows/s (issue 15's target: 20,000 rows/s)%n",
        rows, seconds, rows / seconds);
  }

  /** {@code key,email,name} rows made as they are sent, with a row replaced where {@code special} says. */
  static final class CsvRows extends InputStream {
    private final int rows;
    private final java.util.function.IntFunction<String> special;
    private int row = -1;
    private byte[] current = "key,email,name\r\n".getBytes(StandardCharsets.UTF_8);
    private int position;

    CsvRows(int rows, java.util.function.IntFunction<String> special) {
      this.rows = rows;
      this.special = special;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = 0;
      while (n < len) {
        if (position == current.length) {
          row++;
          if (row >= rows) {
            return n == 0 ? -1 : n;
          }
          String line = special.apply(row);
          current = ((line != null ? line : "c-" + row + ",person" + row + "@example.org,Person " + row) + "\r\n")
              .getBytes(StandardCharsets.UTF_8);
          position = 0;
        }
        int take = Math.min(len - n, current.length - position);
        System.arraycopy(current, position, b, off + n, take);
        position += take;
        n += take;
      }
      return n;
    }
  }
}
