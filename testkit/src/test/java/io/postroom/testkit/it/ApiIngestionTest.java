package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.api.http.ApiKeys;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SmtpRelay;
import io.postroom.testkit.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/jobs} against a real broker: what is accepted is on mail.jobs under its id once the
 * answer is 202, and every refusal (invalid, unauthenticated, another tenant, a foreign sender
 * domain, too large, not JSON, too many requests) leaves mail.jobs untouched.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class ApiIngestionTest {
  private ApiFixture api;
  private Pipeline pipeline;

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() {
    Fixtures.close(api, pipeline);
  }

  private void startApi(Vertx vertx) throws IOException {
    api = ApiFixture.start(vertx, dir);
  }

  private void startApi(Vertx vertx, Topics topics, JsonObject apiSection) throws IOException {
    api = ApiFixture.start(vertx, dir, topics, apiSection);
  }

  private HttpResponse<String> post(String key, String contentType, String body) {
    return api.post(key, contentType, body);
  }

  private HttpResponse<String> post(String key, JsonObject body) {
    return api.post(key, body);
  }

  private HttpResponse<String> get(String key, String path) {
    return api.get(key, path);
  }

  private List<ConsumerRecord<String, byte[]>> jobsOnKafka(int expected) {
    return api.jobsOnKafka(expected);
  }

  private static JsonObject billingJob(String id) {
    return ApiFixture.billingJob(id);
  }

  @Test
  void aValidJobIsAnswered202OnceKafkaHasItUnderItsId(Vertx vertx) throws IOException {
    startApi(vertx);

    HttpResponse<String> response = post(ApiFixture.BILLING_KEY, billingJob("receipt-1"));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("id", "receipt-1").put("state", "ACCEPTED"));
    assertThat(response.headers().firstValue("Location")).hasValue("/v1/jobs/receipt-1");
    List<ConsumerRecord<String, byte[]>> records = jobsOnKafka(1);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).key()).isEqualTo("receipt-1");
    assertThat(new JsonObject(new String(records.get(0).value(), StandardCharsets.UTF_8))).isEqualTo(billingJob("receipt-1"));
  }

  @Test
  void aBatchAcceptsItsValidJobsAndReportsEachInvalidOneWithItsErrors(Vertx vertx) throws IOException {
    startApi(vertx);
    JsonObject noSubject = billingJob("receipt-2");
    noSubject.remove("subject");

    HttpResponse<String> response = post(ApiFixture.BILLING_KEY, new JsonObject().put("jobs",
        new JsonArray().add(billingJob("receipt-1")).add(noSubject).add(billingJob("receipt-3"))));

    assertThat(response.statusCode()).isEqualTo(202);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getJsonArray("accepted")).containsExactly(
        new JsonObject().put("index", 0).put("id", "receipt-1"), new JsonObject().put("index", 2).put("id", "receipt-3"));
    JsonObject rejected = body.getJsonArray("rejected").getJsonObject(0);
    assertThat(rejected.getInteger("index")).isEqualTo(1);
    assertThat(rejected.getString("id")).isEqualTo("receipt-2");
    assertThat(rejected.getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("MISSING_FIELD");
    assertThat(rejected.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("jobs[1].subject");
    assertThat(jobsOnKafka(3)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("receipt-1", "receipt-3");
  }

  @Test
  void anInvalidJobIsA400ProblemListingEveryErrorAndNothingIsPublished(Vertx vertx) throws IOException {
    startApi(vertx);
    JsonObject bad = billingJob("receipt-1").put("to", new JsonArray().add("not an address"))
        .put("headers", new JsonObject().put("X-Evil", "a\r\nBcc: victim@example.org"));

    HttpResponse<String> response = post(ApiFixture.BILLING_KEY, bad);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("type")).isEqualTo("urn:postroom:problem:invalid-job");
    assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("code")))
        .contains("BAD_ADDRESS", "HEADER_INJECTION");
    assertThat(jobsOnKafka(1)).isEmpty();
  }

  @Test
  void aRequestWithoutAKeyOrWithAnUnknownKeyIs401(Vertx vertx) throws IOException {
    startApi(vertx);

    HttpResponse<String> none = post(null, billingJob("receipt-1"));
    HttpResponse<String> unknown = post(ApiKeys.generate(), billingJob("receipt-1"));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(new JsonObject(none.body()).getString("detail")).contains("Authorization: Bearer");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(unknown.body()).getString("detail")).contains("not configured for any tenant");
    assertThat(jobsOnKafka(1)).isEmpty();
  }

  @Test
  void aKeyCannotSubmitJobsForAnotherTenant(Vertx vertx) throws IOException {
    startApi(vertx);

    HttpResponse<String> response = post(ApiFixture.ALERTS_KEY, billingJob("receipt-1"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(response.body()).getString("detail"))
        .contains("belongs to tenant 'alerts'").contains("'billing'");
    assertThat(jobsOnKafka(1)).isEmpty();
  }

  @Test
  void aSenderDomainTheTenantMayNotUseIsRefusedForTheWholeBatch(Vertx vertx) throws IOException {
    startApi(vertx);
    JsonObject spoofed = billingJob("receipt-2").put("from", "Tax Office <refunds@tax.example.com>");

    HttpResponse<String> response = post(ApiFixture.BILLING_KEY,
        new JsonObject().put("jobs", new JsonArray().add(billingJob("receipt-1")).add(spoofed)));

    assertThat(response.statusCode()).isEqualTo(403);
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("detail")).contains("refunds@tax.example.com").contains("example.gov.in");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("jobs[1].from");
    assertThat(jobsOnKafka(1)).isEmpty();
  }

  @Test
  void anOversizeBodyIs413AndNothingIsPublished(Vertx vertx) throws IOException {
    startApi(vertx);
    JsonObject big = billingJob("receipt-1").put("text", "x".repeat(100_000));

    HttpResponse<String> response = post(ApiFixture.BILLING_KEY, big);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(response.body()).getString("detail")).contains("65536 bytes");
    assertThat(jobsOnKafka(1)).isEmpty();
  }

  @Test
  void aBatchLargerThanTheLimitIs413(Vertx vertx) throws IOException {
    startApi(vertx);
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < 11; i++) {
      jobs.add(billingJob("receipt-" + i));
    }

    HttpResponse<String> response = post(ApiFixture.BILLING_KEY, new JsonObject().put("jobs", jobs));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(response.body()).getString("detail")).contains("at most 10");
    assertThat(jobsOnKafka(1)).isEmpty();
  }

  @Test
  void aBodyThatIsNotJsonIs415OrA400Problem(Vertx vertx) throws IOException {
    startApi(vertx);

    HttpResponse<String> form = post(ApiFixture.BILLING_KEY, "application/x-www-form-urlencoded", "id=1");
    HttpResponse<String> broken = post(ApiFixture.BILLING_KEY, "application/json", "{\"id\": ");

    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(broken.body()).getString("type")).isEqualTo("urn:postroom:problem:invalid-json");
    assertThat(jobsOnKafka(1)).isEmpty();
  }

  @Test
  void aKeyOverItsRequestRateIsToldWhenToComeBack(Vertx vertx) throws IOException {
    startApi(vertx, Topics.unique("api").create(KafkaBroker.shared(), 4), new JsonObject().put("requestsPerSecondPerKey", 2));

    int first = post(ApiFixture.BILLING_KEY, billingJob("receipt-1")).statusCode();
    int second = post(ApiFixture.BILLING_KEY, billingJob("receipt-2")).statusCode();
    HttpResponse<String> third = post(ApiFixture.BILLING_KEY, billingJob("receipt-3"));
    int otherKey = post(ApiFixture.ALERTS_KEY, ApiFixture.alertsJob("alert-1")).statusCode();

    assertThat(List.of(first, second)).containsOnly(202);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(otherKey).as("another key has its own budget").isEqualTo(202);
    assertThat(jobsOnKafka(4)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("receipt-1", "receipt-2", "alert-1");
  }

  @Test
  void aJobPostedAgainIsNotPublishedTwiceAndIsAnsweredWithItsState(Vertx vertx) throws IOException {
    startApi(vertx);

    HttpResponse<String> first = post(ApiFixture.BILLING_KEY, billingJob("receipt-1"));
    HttpResponse<String> again = post(ApiFixture.BILLING_KEY, billingJob("receipt-1"));
    HttpResponse<String> inABatch = post(ApiFixture.BILLING_KEY, new JsonObject().put("jobs",
        new JsonArray().add(billingJob("receipt-1")).add(billingJob("receipt-2"))));

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getString("state")).isEqualTo("ACCEPTED");
    assertThat(new JsonObject(again.body()).getBoolean("existing")).isTrue();
    JsonObject batch = new JsonObject(inABatch.body());
    assertThat(batch.getJsonArray("existing").getJsonObject(0).getString("id")).isEqualTo("receipt-1");
    assertThat(batch.getJsonArray("accepted").getJsonObject(0).getString("id")).isEqualTo("receipt-2");
    assertThat(jobsOnKafka(3)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("receipt-1", "receipt-2");
  }

  @Test
  void anIdAnotherTenantUsesIsAConflictWithoutItsState(Vertx vertx) throws IOException {
    startApi(vertx);
    post(ApiFixture.BILLING_KEY, billingJob("shared-id"));

    HttpResponse<String> response = post(ApiFixture.ALERTS_KEY, ApiFixture.alertsJob("shared-id"));

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body()).doesNotContain("ACCEPTED");
    assertThat(jobsOnKafka(2)).hasSize(1);
  }

  @Test
  void aJobPostedToTheApiIsSentByTheDispatcher(Vertx vertx) throws IOException {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("api-e2e").relay(relay).startDispatcher();
    startApi(vertx, pipeline.topics, new JsonObject());

    assertThat(post(ApiFixture.BILLING_KEY, billingJob("receipt-e2e")).statusCode()).isEqualTo(202);

    OutcomeWatcher outcomes = pipeline.awaitFinished(1, Duration.ofSeconds(30));
    assertThat(outcomes.terminalEvents()).singleElement().satisfies(event -> {
      assertThat(event.id()).isEqualTo("receipt-e2e");
      assertThat(event.state()).isEqualTo(State.SENT);
    });
    assertThat(relay.count()).isEqualTo(1);
  }

  @Test
  void aJobsStateAndHistoryAreServedToItsOwnTenantOnly(Vertx vertx) throws IOException {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("api-status").relay(relay).startDispatcher();
    startApi(vertx, pipeline.topics, new JsonObject());
    post(ApiFixture.BILLING_KEY, billingJob("receipt-9"));
    pipeline.awaitFinished(1, Duration.ofSeconds(30));

    assertThat(Pipeline.eventually(Duration.ofSeconds(10),
        () -> get(ApiFixture.BILLING_KEY, "/v1/jobs/receipt-9").body().contains("\"state\":\"SENT\""))).isTrue();
    JsonObject job = new JsonObject(get(ApiFixture.BILLING_KEY, "/v1/jobs/receipt-9").body());
    HttpResponse<String> otherTenant = get(ApiFixture.ALERTS_KEY, "/v1/jobs/receipt-9");
    JsonObject sentList = new JsonObject(get(ApiFixture.BILLING_KEY, "/v1/jobs?state=SENT").body());
    HttpResponse<String> otherList = get(ApiFixture.ALERTS_KEY, "/v1/jobs?tenant=billing");

    assertThat(job.getString("tenant")).isEqualTo("billing");
    assertThat(job.getJsonObject("latest").getString("messageId")).isNotBlank();
    assertThat(job.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("state")))
        .containsExactlyInAnyOrder("ACCEPTED", "SENT");
    assertThat(otherTenant.statusCode()).isEqualTo(404);
    assertThat(sentList.getJsonArray("jobs").getJsonObject(0).getString("id")).isEqualTo("receipt-9");
    assertThat(otherList.statusCode()).isEqualTo(403);
  }
}
