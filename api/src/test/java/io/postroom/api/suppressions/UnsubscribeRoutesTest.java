package io.postroom.api.suppressions;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.compliance.UnsubscribeToken;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class UnsubscribeRoutesTest {
  private static final TokenKeys KEYS = RoutesFixture.keys("k1");
  private static final Map<String, String> ONE_CLICK = Map.of("Content-Type", "application/x-www-form-urlencoded");
  private static final String BODY = "List-Unsubscribe=One-Click";
  private static final UnsubscribeToken ASHA = new UnsubscribeToken("billing", "statements", "Asha@Example.org");

  @TempDir
  Path dir;
  private RoutesFixture fixture;

  @AfterEach
  void close(VertxTestContext test) {
    fixture.close().onComplete(test.succeedingThenComplete());
  }

  private RoutesFixture start(Vertx vertx, VertxTestContext test, Optional<TokenKeys> keys, double perClient,
      Runnable then) {
    fixture = new RoutesFixture(vertx, dir);
    fixture.start(keys, perClient).onComplete(test.succeeding(v -> then.run()));
    return fixture;
  }

  private void start(Vertx vertx, VertxTestContext test, Runnable then) {
    start(vertx, test, Optional.of(KEYS), 1000, then);
  }

  private static String path(String token) {
    return "/u/" + token;
  }

  @Test
  void aOneClickWritesTheTokensSuppressionAndAnswersWithALineOfText(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> fixture.send(HttpMethod.POST, path(ASHA.seal(KEYS)), ONE_CLICK, BODY)
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(answer.status()).isEqualTo(200);
          assertThat(answer.header("Content-Type")).startsWith("text/plain");
          assertThat(fixture.written).hasSize(1);
          assertThat(fixture.written.get(0).key()).isEqualTo("billing|statements|asha@example.org");
          Suppression written = Suppression.fromJson(new JsonObject(new String(fixture.written.get(0).value())));
          assertThat(written).isEqualTo(new Suppression("billing", "asha@example.org", "statements",
              SuppressionReason.UNSUBSCRIBED, RoutesFixture.NOW, "one-click"));
          assertThat(fixture.registry.counter("postroom_api_unsubscribes_total", "tenant", "billing").count())
              .isEqualTo(1);
          test.completeNow();
        }))));
  }

  @Test
  void anAlteredTokenIs404AndWritesNothing(Vertx vertx, VertxTestContext test) {
    String token = ASHA.seal(KEYS);
    int i = token.length() - 5;
    String altered = token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
    start(vertx, test, () -> fixture.send(HttpMethod.POST, path(altered), ONE_CLICK, BODY)
        .compose(first -> fixture.send(HttpMethod.POST, path("k1.bm90LWEtdG9rZW4tYXQtYWxsLWJ1dC1sb25nLWVub3VnaA"),
            ONE_CLICK, BODY).map(second -> new int[] {first.status(), second.status()}))
        .onComplete(test.succeeding(statuses -> test.verify(() -> {
          assertThat(statuses).containsExactly(404, 404);
          assertThat(fixture.written).isEmpty();
          assertThat(fixture.registry.counter("postroom_api_unsubscribe_refused_total").count()).isEqualTo(2);
          test.completeNow();
        }))));
  }

  @Test
  void aTokenSealedWithAKeyNoLongerListedIs404AndWritesNothing(Vertx vertx, VertxTestContext test) {
    String retired = ASHA.seal(RoutesFixture.keys("k0"));
    start(vertx, test, () -> fixture.send(HttpMethod.POST, path(retired), ONE_CLICK, BODY)
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(answer.status()).isEqualTo(404);
          assertThat(fixture.written).isEmpty();
          test.completeNow();
        }))));
  }

  @Test
  void withoutTokenKeysEveryLinkIs404(Vertx vertx, VertxTestContext test) {
    start(vertx, test, Optional.empty(), 1000, () -> fixture.send(HttpMethod.POST, path(ASHA.seal(KEYS)), ONE_CLICK,
            BODY)
        .compose(post -> fixture.send(HttpMethod.GET, path(ASHA.seal(KEYS)), Map.of(), null)
            .map(get -> new int[] {post.status(), get.status()}))
        .onComplete(test.succeeding(statuses -> test.verify(() -> {
          assertThat(statuses).containsExactly(404, 404);
          assertThat(fixture.written).isEmpty();
          test.completeNow();
        }))));
  }

  @Test
  void theConfirmationPageShowsWhatTheLinkStandsForAndWritesNothing(Vertx vertx, VertxTestContext test) {
    String token = ASHA.seal(KEYS);
    start(vertx, test, () -> fixture.send(HttpMethod.GET, path(token), Map.of("Accept", "text/html"), null)
        .onComplete(test.succeeding(page -> test.verify(() -> {
          assertThat(page.status()).isEqualTo(200);
          assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
          assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'")
              .contains("form-action 'self'");
          assertThat(page.body()).contains("billing", "statements", "a***@example.org",
              "<form method=\"post\" action=\"" + token + "\">", "<button").doesNotContain("asha@", "<script", "http");
          assertThat(fixture.written).isEmpty();
          test.completeNow();
        }))));
  }

  @Test
  void aBadTokensPageIs404(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> fixture.send(HttpMethod.GET, path("k1.nope"), Map.of(), null)
        .onComplete(test.succeeding(page -> test.verify(() -> {
          assertThat(page.status()).isEqualTo(404);
          assertThat(page.body()).contains("not valid").doesNotContain("<form");
          test.completeNow();
        }))));
  }

  @Test
  void whatThePageShowsIsHtmlEscaped(Vertx vertx, VertxTestContext test) {
    UnsubscribeToken odd = new UnsubscribeToken("<b>tenant</b>", "<script>alert(1)</script>", "x@example.org");
    start(vertx, test, () -> fixture.send(HttpMethod.GET, path(odd.seal(KEYS)), Map.of(), null)
        .onComplete(test.succeeding(page -> test.verify(() -> {
          assertThat(page.body()).contains("&lt;b&gt;tenant&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;")
              .doesNotContain("<script>", "<b>");
          test.completeNow();
        }))));
  }

  @Test
  void theButtonsPostGetsAPageSayingItIsDone(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> fixture.send(HttpMethod.POST, path(ASHA.seal(KEYS)), Map.of("Content-Type",
            "application/x-www-form-urlencoded", "Accept", "text/html,application/xhtml+xml"),
            BODY + "&confirmed=page")
        .onComplete(test.succeeding(page -> test.verify(() -> {
          assertThat(page.status()).isEqualTo(200);
          assertThat(page.header("Content-Type")).startsWith("text/html");
          assertThat(page.body()).contains("You are unsubscribed");
          assertThat(fixture.written).hasSize(1);
          test.completeNow();
        }))));
  }

  @Test
  void aOneClickRepeatedAtOnceIsWrittenOnce(Vertx vertx, VertxTestContext test) {
    String token = ASHA.seal(KEYS);
    start(vertx, test, () -> {
      fixture.viewFollows = false; // the view has not read the first one back yet
      fixture.send(HttpMethod.POST, path(token), ONE_CLICK, BODY)
          .compose(first -> fixture.send(HttpMethod.POST, path(ASHA.seal(KEYS)), ONE_CLICK, BODY)
              .map(second -> new int[] {first.status(), second.status()}))
          .onComplete(test.succeeding(statuses -> test.verify(() -> {
            assertThat(statuses).containsExactly(200, 200);
            assertThat(fixture.written).hasSize(1);
            test.completeNow();
          })));
    });
  }

  @Test
  void anAddressAlreadySuppressedKeepsItsFirstSuppression(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> {
      fixture.stored(new Suppression("billing", "asha@example.org", Suppression.ANY_STREAM,
          SuppressionReason.HARD_BOUNCE, Instant.parse("2026-01-01T00:00:00Z"), "bounce:job-1"));
      fixture.send(HttpMethod.POST, path(ASHA.seal(KEYS)), ONE_CLICK, BODY)
          .onComplete(test.succeeding(answer -> test.verify(() -> {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(fixture.written).isEmpty();
            test.completeNow();
          })));
    });
  }

  @Test
  void whenKafkaDoesNotTakeItTheClickIsAnswered503(Vertx vertx, VertxTestContext test) {
    start(vertx, test, () -> {
      fixture.kafkaDown = true;
      fixture.send(HttpMethod.POST, path(ASHA.seal(KEYS)), ONE_CLICK, BODY)
          .onComplete(test.succeeding(answer -> test.verify(() -> {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isNotNull();
            test.completeNow();
          })));
    });
  }

  @Test
  void aClientAboveItsRateIsAnswered429(Vertx vertx, VertxTestContext test) {
    start(vertx, test, Optional.of(KEYS), 0.001, () -> fixture.send(HttpMethod.GET, path(ASHA.seal(KEYS)), Map.of(), null)
        .compose(first -> fixture.send(HttpMethod.GET, path(ASHA.seal(KEYS)), Map.of(), null)
            .map(second -> new int[] {first.status(), second.status()}))
        .onComplete(test.succeeding(statuses -> test.verify(() -> {
          assertThat(statuses).containsExactly(200, 429);
          test.completeNow();
        }))));
  }
}
