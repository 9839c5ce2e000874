package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.compliance.UnsubscribeToken;
import io.postroom.testkit.HeadlessChromium;
import io.postroom.testkit.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppression list through a real api on a real Kafka broker: a one-click POST lands on
 * mail.suppressions and shows in GET /v1/suppressions, a forged token writes nothing, PUT and DELETE
 * go round through the topic, and the confirmation page in Debian's Chromium suppresses nothing
 * until its button is clicked.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class SuppressionsTest {
  private static final Duration SECONDS = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newHttpClient();
  private ApiFixture api;
  private HeadlessChromium chromium;

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() {
    Fixtures.close(chromium, api);
  }

  private HttpResponse<String> request(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> oneClick(String token) throws IOException, InterruptedException {
    return request(HttpRequest.newBuilder(api.uri("/u/" + token))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
  }

  /** The billing tenant's suppressions of the address, as GET /v1/suppressions lists them. */
  private JsonArray listed(String address) {
    HttpResponse<String> list = api.get(ApiFixture.BILLING_KEY, "/v1/suppressions?address=" + address);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    return new JsonObject(list.body()).getJsonArray("suppressions");
  }

  private boolean listedSoon(String address, int count) {
    return Pipeline.eventually(SECONDS, () -> listed(address).size() == count);
  }

  @Test
  void aOneClickAndTheTenantsOwnChangesGoThroughMailSuppressions(Vertx vertx) throws Exception {
    api = ApiFixture.start(vertx, dir);
    String token = new UnsubscribeToken("billing", "statements", "asha@example.org").seal(api.tokenKeys);
    String forged = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");

    assertThat(oneClick(forged).statusCode()).isEqualTo(404);
    HttpResponse<String> clicked = oneClick(token);
    assertThat(clicked.statusCode()).as(clicked.body()).isEqualTo(200);
    assertThat(listedSoon("asha@example.org", 1)).as("the one-click shows in GET /v1/suppressions").isTrue();
    assertThat(oneClick(token).statusCode()).as("a repeated one-click").isEqualTo(200);
    assertThat(listed("asha@example.org").getJsonObject(0).getString("reason")).isEqualTo("UNSUBSCRIBED");

    HttpResponse<String> put = api.send("PUT", "/v1/suppressions", ApiFixture.BILLING_KEY, "text/csv",
        HttpRequest.BodyPublishers.ofString("address,stream,reason\nravi@example.org,,HARD_BOUNCE\nnot-an-address\n"));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(new JsonObject(put.body()).getJsonArray("problems").getJsonObject(0).getInteger("line")).isEqualTo(3);
    assertThat(listed("ravi@example.org")).as("read back before the answer").hasSize(1);
    assertThat(new JsonObject(api.get(ApiFixture.ALERTS_KEY, "/v1/suppressions").body()).getJsonArray("suppressions"))
        .as("another tenant's key sees none of it").isEmpty();
    HttpResponse<String> deleted = api.send("DELETE", "/v1/suppressions?address=ravi@example.org",
        ApiFixture.BILLING_KEY, null, HttpRequest.BodyPublishers.noBody());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(listed("ravi@example.org")).isEmpty();
    HttpResponse<String> csv = request(HttpRequest.newBuilder(api.uri("/v1/suppressions"))
        .header("Authorization", "Bearer " + ApiFixture.BILLING_KEY).header("Accept", "text/csv"));
    assertThat(csv.body().split("\r\n")).hasSize(2).startsWith("address,stream,reason,at,source");

    // three records, and a moment to see that no fourth follows (the repeated one-click is not written again)
    List<ConsumerRecord<String, byte[]>> records = api.broker.readAll(api.topics.suppressions(), 4, Duration.ofSeconds(3));
    assertThat(records).extracting(ConsumerRecord::key).containsExactly("billing|statements|asha@example.org",
        "billing|*|ravi@example.org", "billing|*|ravi@example.org");
    Suppression first = Suppression.fromJson(new JsonObject(new String(records.get(0).value(), StandardCharsets.UTF_8)));
    assertThat(first.reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED);
    assertThat(first.source()).isEqualTo("one-click");
    assertThat(records.get(2).value()).as("DELETE writes a tombstone").isNull();
  }

  @Test
  void theConfirmationPageInChromiumSuppressesOnlyWhenItsButtonIsClicked(Vertx vertx) throws Exception {
    assumeTrue(HeadlessChromium.installed(), "Chromium and chromedriver are not installed (.ci/run installs them)");
    api = ApiFixture.start(vertx, dir);
    String token = new UnsubscribeToken("billing", "news", "meera@example.org").seal(api.tokenKeys);
    chromium = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium-profile")));

    chromium.open(api.uri("/u/" + token).toString());
    assertThat(String.valueOf(chromium.evaluate("return document.getElementById('address').textContent")))
        .isEqualTo("m***@example.org");
    assertThat(api.broker.readAll(api.topics.suppressions(), 1, Duration.ofSeconds(2)))
        .as("opening the page writes nothing").isEmpty();
    assertThat(listed("meera@example.org")).isEmpty();

    chromium.click("#unsubscribe");
    assertThat(Pipeline.eventually(SECONDS, () -> "You are unsubscribed".equals(String.valueOf(chromium.evaluate(
        "const e = document.getElementById('done'); return e ? e.textContent : null;")))))
        .as("the page after the click").isTrue();
    assertThat(listedSoon("meera@example.org", 1)).isTrue();
    assertThat(listed("meera@example.org").getJsonObject(0).getString("stream")).isEqualTo("news");
  }
}
