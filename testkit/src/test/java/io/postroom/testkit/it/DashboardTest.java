package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.contract.State;
import io.postroom.testkit.HeadlessChromium;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops dashboard in a real headless Chromium: jobs go through the api, the dispatcher and a relay
 * that refuses some recipients; the page's totals must come to the counts on mail.status, its relay
 * panel must show the dispatcher's relay and its backlog must drain. The screenshot is kept as
 * {@code testkit/target/dashboard.png}.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class DashboardTest {
  private static final int SENT = 45;
  private static final int REFUSED = 5;
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  private Pipeline pipeline;
  private ApiFixture api;
  private HeadlessChromium chromium;

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() {
    Fixtures.close(chromium, api, pipeline);
  }

  private String text(String elementId) {
    Object value = chromium.evaluate("const e = document.getElementById('" + elementId + "');"
        + " return e ? e.textContent : null;");
    return value == null ? null : value.toString();
  }

  @Test
  void theDashboardShowsTheCountsOfTheStatusTopicLive(Vertx vertx) throws IOException {
    assumeTrue(HeadlessChromium.installed(), "Chromium and chromedriver are not installed (.ci/run installs them)");
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions()
        .rejectRecipients("nobody.*", "550 5.1.1 <{address}>: Recipient address rejected: User unknown").build());
    pipeline = Pipeline.create("dashboard").relay(relay).startDispatcher();
    api = ApiFixture.behind(vertx, dir, pipeline);
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < SENT + REFUSED; i++) {
      jobs.add(SampleJobs.valid("dash-" + i, "billing", (i < SENT ? "citizen" : "nobody") + i + "@example.org"));
    }
    chromium = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium-profile")));
    chromium.open("http://127.0.0.1:" + api.port + "/");

    assertThat(api.post(ApiFixture.BILLING_KEY, new JsonObject().put("jobs", jobs)).statusCode()).isEqualTo(202);
    OutcomeWatcher outcomes = pipeline.awaitFinished(SENT + REFUSED, Duration.ofSeconds(60));
    assertThat(outcomes.terminalCounts()).isEqualTo(Map.of(State.SENT, SENT, State.FAILED, REFUSED));

    boolean shown = Pipeline.eventually(Duration.ofSeconds(30), () ->
        String.valueOf(outcomes.count(State.SENT)).equals(text("total-SENT"))
            && String.valueOf(outcomes.count(State.FAILED)).equals(text("total-FAILED"))
            && "0".equals(text("backlog-total"))
            && String.valueOf(chromium.evaluate("return document.getElementById('relays').textContent"))
                .contains("closed (UP)"));
    Path png = chromium.screenshot(SCREENSHOT);
    System.out.printf("dashboard screenshot: %s (%d bytes)%n", png.toAbsolutePath(), Files.size(png));
    assertThat(shown).as("the page shows SENT %s, FAILED %s, backlog %s; relays: %s", text("total-SENT"),
        text("total-FAILED"), text("backlog-total"), chromium.evaluate("return document.getElementById('relays').textContent"))
        .isTrue();
    assertThat(String.valueOf(chromium.evaluate("return document.getElementById('reasons').textContent")))
        .contains("RELAY_REJECTED 550 5.1.1");
    assertThat(String.valueOf(chromium.evaluate("return document.getElementById('failures').textContent")))
        .as("addresses are masked").contains("n***@example.org").doesNotContain("nobody");
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }
}
