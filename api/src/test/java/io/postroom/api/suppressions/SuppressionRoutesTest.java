package io.postroom.api.suppressions;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class SuppressionRoutesTest {
  private static final Map<String, String> BILLING_JSON = Map.of("Authorization", "Bearer billing-key",
      "Content-Type", "application/json");
  private static final Map<String, String> BILLING_CSV = Map.of("Authorization", "Bearer billing-key",
      "Content-Type", "text/csv");
  private static final Map<String, String> BILLING = Map.of("Authorization", "Bearer billing-key");
  private static final Map<String, String> ALERTS = Map.of("Authorization", "Bearer alerts-key");

  @TempDir
  Path dir;
  private RoutesFixture fixture;

  @AfterEach
  void close(VertxTestContext test) {
    fixture.close().onComplete(test.succeedingThenComplete());
  }

  private void start(Vertx vertx, VertxTestContext test, Runnable then) {
    fixture = new RoutesFixture(vertx, dir);
    fixture.start(Optional.empty(), 1000).onComplete(test.succeeding(v -> then.run()));
  }

  private Suppression written(int i) {
    return Suppression.fromJson(new JsonObject(new String(fixture.written.get(i).value())));
  }

  private static Suppression suppression(String tenant, String address, String stream, SuppressionReason reason) {
    return new Suppression(tenant, address, stream, reason, Instant.parse("2026-11-01T00:00:00Z"), "test");
  }

  @Test
  void oneJsonSuppressionIsWrittenWithTheDefaultsAndTheKeysName(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> fixture.send(HttpMethod.PUT, "/v1/suppressions", BILLING_JSON,
            new JsonObject().put("address", "Asha@Example.org").encode())
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(answer.status()).as(answer.body()).isEqualTo(200);
          assertThat(new JsonObject(answer.body()).getInteger("written")).isEqualTo(1);
          assertThat(written(0)).isEqualTo(new Suppression("billing", "asha@example.org", "*",
              SuppressionReason.MANUAL, RoutesFixture.NOW, "api:sha256:12345678"));
          assertThat(fixture.registry.counter("postroom_api_suppressions_changed_total", "tenant", "billing", "op", "put")
              .count()).isEqualTo(1);
          test.completeNow();
        }))));
  }

  @Test
  void aListOfJsonSuppressionsWritesTheGoodOnesAndNamesTheBadByIndex(Vertx vertx, VertxTestContext test) {
    JsonObject body = new JsonObject().put("suppressions", new JsonArray()
        .add(new JsonObject().put("address", "a@example.org").put("stream", "statements").put("reason", "COMPLAINT"))
        .add(new JsonObject().put("address", "not an address"))
        .add(new JsonObject().put("address", "b@example.org").put("reason", "SOMETIMES")));
    start(vertx, test, () -> fixture.send(HttpMethod.PUT, "/v1/suppressions", BILLING_JSON, body.encode())
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          JsonObject json = new JsonObject(answer.body());
          assertThat(answer.status()).as(answer.body()).isEqualTo(200);
          assertThat(json.getInteger("written")).isEqualTo(1);
          assertThat(json.getInteger("rejected")).isEqualTo(2);
          assertThat(json.getJsonArray("problems").getJsonObject(0).getInteger("index")).isEqualTo(1);
          assertThat(json.getJsonArray("problems").getJsonObject(0).getJsonArray("errors").getJsonObject(0)
              .getString("code")).isEqualTo("BAD_ADDRESS");
          assertThat(json.getJsonArray("problems").getJsonObject(1).getInteger("index")).isEqualTo(2);
          assertThat(written(0).reason()).isEqualTo(SuppressionReason.COMPLAINT);
          assertThat(written(0).stream()).isEqualTo("statements");
          test.completeNow();
        }))));
  }

  @Test
  void aCsvImportWritesTheGoodRowsAndReportsTheBadOnesByLine(Vertx vertx, VertxTestContext test) {
    String csv = "address,stream,reason\r\n"
        + "a@example.org\r\n"
        + "b@example.org,statements\r\n"
        + "\r\n"
        + "not an address,statements\r\n"
        + "\"c@example.org\",\"statements\",hard_bounce\r\n"
        + "d@example.org,statements,NEVER\r\n"
        + "e@example.org,x,MANUAL,too many\r\n";
    start(vertx, test, () -> fixture.send(HttpMethod.PUT, "/v1/suppressions", BILLING_CSV, csv)
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          JsonObject json = new JsonObject(answer.body());
          assertThat(answer.status()).as(answer.body()).isEqualTo(200);
          assertThat(json.getInteger("written")).isEqualTo(3);
          assertThat(json.getInteger("rejected")).isEqualTo(3);
          assertThat(json.getJsonArray("problems").stream().map(p -> ((JsonObject) p).getInteger("line")).toList())
              .containsExactly(5, 7, 8);
          List<String> keys = new ArrayList<>();
          fixture.written.forEach(r -> keys.add(r.key()));
          // the rows are written a few at a time: in any order
          assertThat(keys).containsExactlyInAnyOrder("billing|*|a@example.org", "billing|statements|b@example.org",
              "billing|statements|c@example.org");
          assertThat(written(keys.indexOf("billing|statements|c@example.org")).reason())
              .isEqualTo(SuppressionReason.HARD_BOUNCE);
          test.completeNow();
        }))));
  }

  @Test
  void aCsvImportListsOnlyTheFirstProblemsAndCountsTheRest(Vertx vertx, VertxTestContext test) {
    StringBuilder csv = new StringBuilder("ok@example.org\n");
    for (int i = 0; i < 10; i++) {
      csv.append("bad").append(i).append('\n');
    }
    start(vertx, test, () -> fixture.send(HttpMethod.PUT, "/v1/suppressions", BILLING_CSV, csv.toString())
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          JsonObject json = new JsonObject(answer.body());
          assertThat(json.getInteger("rejected")).as(answer.body()).isEqualTo(10);
          assertThat(json.getJsonArray("problems")).hasSize(3); // problemsListed of the fixture
          assertThat(json.getInteger("problemsOmitted")).isEqualTo(7);
          test.completeNow();
        }))));
  }

  @Test
  void aCsvImportLargerThanTheInFlightWindowIsWrittenWhole(Vertx vertx, VertxTestContext test) {
    StringBuilder csv = new StringBuilder();
    int rows = SuppressionRoutes.IN_FLIGHT * 3 + 7;
    for (int i = 0; i < rows; i++) {
      csv.append("r").append(i).append("@example.org\n");
    }
    start(vertx, test, () -> fixture.send(HttpMethod.PUT, "/v1/suppressions", BILLING_CSV, csv.toString())
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(new JsonObject(answer.body()).getInteger("written")).as(answer.body()).isEqualTo(rows);
          assertThat(fixture.written).hasSize(rows);
          test.completeNow();
        }))));
  }

  @Test
  void aKeySeesOnlyItsOwnTenantsList(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> {
      fixture.stored(suppression("billing", "a@example.org", "*", SuppressionReason.MANUAL));
      fixture.stored(suppression("alerts", "b@example.org", "*", SuppressionReason.MANUAL));
      fixture.stored(suppression("billing2", "c@example.org", "*", SuppressionReason.MANUAL));
      fixture.send(HttpMethod.GET, "/v1/suppressions", ALERTS, null)
          .compose(alerts -> fixture.send(HttpMethod.DELETE, "/v1/suppressions?address=a@example.org", ALERTS, null)
              .map(delete -> List.of(alerts, delete)))
          .onComplete(test.succeeding(answers -> test.verify(() -> {
            JsonArray listed = new JsonObject(answers.get(0).body()).getJsonArray("suppressions");
            assertThat(listed).hasSize(1);
            assertThat(listed.getJsonObject(0).getString("address")).isEqualTo("b@example.org");
            assertThat(listed.getJsonObject(0).containsKey("tenant")).isFalse();
            assertThat(answers.get(1).status()).isEqualTo(404);
            assertThat(fixture.written).isEmpty();
            test.completeNow();
          })));
    });
  }

  @Test
  void aListIsPagedWithACursorAndFilteredByStreamReasonAndAddress(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> {
      for (int i = 0; i < 5; i++) {
        fixture.stored(suppression("billing", "s" + i + "@example.org", "statements", SuppressionReason.UNSUBSCRIBED));
      }
      fixture.stored(suppression("billing", "s1@example.org", "*", SuppressionReason.HARD_BOUNCE));
      fixture.stored(suppression("billing", "n@example.org", "news", SuppressionReason.COMPLAINT));
      fixture.send(HttpMethod.GET, "/v1/suppressions?stream=statements&limit=3", BILLING, null)
          .compose(first -> fixture.send(HttpMethod.GET, "/v1/suppressions?stream=statements&limit=3&after="
              + new JsonObject(first.body()).getString("next"), BILLING, null).map(second -> List.of(first, second)))
          .compose(pages -> fixture.send(HttpMethod.GET, "/v1/suppressions?reason=complaint", BILLING, null)
              .compose(reason -> fixture.send(HttpMethod.GET, "/v1/suppressions?address=S1@example.org", BILLING, null)
                  .map(address -> List.of(pages.get(0), pages.get(1), reason, address))))
          .onComplete(test.succeeding(answers -> test.verify(() -> {
            assertThat(addresses(answers.get(0).body())).containsExactly("s0@example.org", "s1@example.org",
                "s2@example.org");
            assertThat(addresses(answers.get(1).body())).containsExactly("s3@example.org", "s4@example.org");
            assertThat(new JsonObject(answers.get(1).body()).containsKey("next")).isFalse();
            assertThat(addresses(answers.get(2).body())).containsExactly("n@example.org");
            assertThat(new JsonObject(answers.get(3).body()).getJsonArray("suppressions").stream()
                .map(s -> ((JsonObject) s).getString("stream")).toList()).containsExactly("*", "statements");
            test.completeNow();
          })));
    });
  }

  private static List<String> addresses(String body) {
    return new JsonObject(body).getJsonArray("suppressions").stream().map(s -> ((JsonObject) s).getString("address"))
        .toList();
  }

  @Test
  void theCsvExportHoldsTheWholeListAcrossPages(Vertx vertx, VertxTestContext test) {
    int count = 2_345;
    start(vertx, test, () -> vertx.executeBlocking(() -> {
      List<SuppressionStore.Record> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Suppression s = new Suppression("billing", "p" + i + "@example.org", "*", SuppressionReason.MANUAL,
            Instant.parse("2026-11-01T00:00:00Z"), "api:a, \"quoted\" key");
        records.add(new SuppressionStore.Record(s.key(), s.toJson().toBuffer().getBytes()));
      }
      fixture.store.apply(records);
      return null;
    }, false).compose(v -> fixture.send(HttpMethod.GET, "/v1/suppressions", Map.of("Authorization",
        "Bearer billing-key", "Accept", "text/csv"), null))
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(answer.status()).isEqualTo(200);
          assertThat(answer.header("Content-Type")).startsWith("text/csv");
          String[] lines = answer.body().split("\r\n");
          assertThat(lines[0]).isEqualTo("address,stream,reason,at,source");
          assertThat(lines).hasSize(count + 1);
          assertThat(lines[1]).isEqualTo("p0@example.org,*,MANUAL,2026-11-01T00:00:00Z,\"api:a, \"\"quoted\"\" key\"");
          test.completeNow();
        }))));
  }

  @Test
  void aDeleteWritesATombstoneAndIs404WhenNotSuppressed(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> {
      fixture.stored(suppression("billing", "a@example.org", "statements", SuppressionReason.MANUAL));
      fixture.send(HttpMethod.DELETE, "/v1/suppressions?address=a@example.org&stream=statements", BILLING, null)
          .compose(first -> fixture.send(HttpMethod.DELETE, "/v1/suppressions?address=a@example.org&stream=statements",
              BILLING, null).map(second -> List.of(first, second)))
          .onComplete(test.succeeding(answers -> test.verify(() -> {
            assertThat(answers.get(0).status()).isEqualTo(200);
            assertThat(fixture.written).hasSize(1);
            assertThat(fixture.written.get(0).key()).isEqualTo("billing|statements|a@example.org");
            assertThat(fixture.written.get(0).value()).isNull();
            assertThat(answers.get(1).status()).isEqualTo(404);
            assertThat(fixture.store.get("billing", "statements", "a@example.org")).isEmpty();
            test.completeNow();
          })));
    });
  }

  @Test
  void aPutOfAnotherMediaTypeIs415(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> fixture.send(HttpMethod.PUT, "/v1/suppressions", Map.of("Authorization",
            "Bearer billing-key", "Content-Type", "text/plain"), "a@example.org")
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(answer.status()).isEqualTo(415);
          assertThat(fixture.written).isEmpty();
          test.completeNow();
        }))));
  }

  @Test
  void withoutAKeyNothingIsListedOrWritten(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> Future.join(fixture.send(HttpMethod.GET, "/v1/suppressions", Map.of(), null),
            fixture.send(HttpMethod.PUT, "/v1/suppressions", Map.of("Content-Type", "text/csv"), "a@example.org\n"))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          assertThat(both.<RoutesFixture.Answer>resultAt(0).status()).isEqualTo(401);
          assertThat(both.<RoutesFixture.Answer>resultAt(1).status()).isEqualTo(401);
          assertThat(fixture.written).isEmpty();
          test.completeNow();
        }))));
  }
}
