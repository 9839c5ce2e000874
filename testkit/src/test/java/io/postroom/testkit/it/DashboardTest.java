package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.testkit.HeadlessChromium;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleBulks;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops dashboard in a real headless Chromium: jobs go through the api, the dispatcher and a relay
 * that refuses some recipients; the page's totals must come to the counts on mail.status, its relay
 * panel must show the dispatcher's relay and its backlog must drain. Then a bulk send paced at
 * {@value #BULK_RATE}/s through {@code POST /v1/bulk}: its row shows a rate and an ETA while it
 * runs, and its progress and counts when it is done. Last, the follow-ups a bounce reader publishes
 * on mail.status (a hard, a soft and a policy bounce, a complaint) for mails of the run: the mail
 * health table shows billing's counts and rates, its complaint rate over the 0.3 % line. The
 * screenshot, taken while the bulk send runs, is kept as {@code testkit/target/dashboard.png}.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class DashboardTest {
  private static final int SENT = 45;
  private static final int REFUSED = 5;
  private static final int BULK = 60;
  private static final int BULK_RATE = 10;
  private static final String BULK_ID = "statements-dash";
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
    assertThat(shown).as("the page shows SENT %s, FAILED %s, backlog %s; relays: %s", text("total-SENT"),
        text("total-FAILED"), text("backlog-total"), chromium.evaluate("return document.getElementById('relays').textContent"))
        .isTrue();
    assertThat(String.valueOf(chromium.evaluate("return document.getElementById('reasons').textContent")))
        .contains("RELAY_REJECTED 550 5.1.1");
    assertThat(String.valueOf(chromium.evaluate("return document.getElementById('failures').textContent")))
        .as("addresses are masked").contains("n***@example.org").doesNotContain("nobody");

    // one recipient lacks a variable of the template: REJECTED (RENDER_FAILED) when it is rendered
    JsonObject send = SampleBulks.statement(BULK_ID, "billing", 0, BULK, n -> n == 7
        ? SampleBulks.citizen(n).put("vars", new JsonObject().put("name", "Citizen 7")) : SampleBulks.citizen(n))
        .put("maxRate", BULK_RATE);
    HttpResponse<String> posted = api.send("POST", "/v1/bulk", ApiFixture.BILLING_KEY, send);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    boolean running = Pipeline.eventually(Duration.ofSeconds(30), () -> {
      String[] cells = bulkRow();
      return cells != null && cells[9].equals("running") && !cells[7].equals("–") && Double.parseDouble(cells[7]) > 0
          && cells[8].matches("\\d+ s|\\d+ min \\d+ s");
    });
    Path png = chromium.screenshot(SCREENSHOT);
    System.out.printf("dashboard screenshot: %s (%d bytes)%n", png.toAbsolutePath(), Files.size(png));
    assertThat(running).as("while the send runs, its row shows a rate and an ETA: %s", rowText())
        .isTrue();
    assertThat(Files.size(png)).isGreaterThan(10_000);

    pipeline.awaitFinished(SENT + REFUSED + BULK, Duration.ofSeconds(60));
    boolean done = Pipeline.eventually(Duration.ofSeconds(15), () -> {
      String[] cells = bulkRow();
      return cells != null && cells[2].equals(BULK + " / " + BULK + " (100 %)") && cells[8].equals("done");
    });
    assertThat(done).as("the finished send: %s", rowText()).isTrue();
    String[] cells = bulkRow();
    assertThat(cells).containsExactly("billing", BULK_ID, BULK + " / " + BULK + " (100 %)", String.valueOf(BULK - 1),
        "0", "0", "1", cells[7], "done", "running");
    assertThat(String.valueOf(chromium.evaluate("return document.getElementById('bulks').textContent")))
        .as("no addresses of recipients").doesNotContain("@");

    int mailsSent = pipeline.watcher().count(State.SENT);
    // single jobs: a follow-up of a bulk send's recipient would move its count in the bulk row
    List<StatusEvent> sent = pipeline.watcher().terminalEvents().stream()
        .filter(e -> e.state() == State.SENT && e.bulkId() == null).toList();
    Instant now = Instant.now();
    pipeline.publishStatus(List.of(
        StatusEvent.followUp(sent.get(0), "citizen0@example.org", BounceKind.HARD, 550, "5.1.1", "User unknown", now),
        StatusEvent.followUp(sent.get(1), "citizen1@example.org", BounceKind.SOFT, 452, "4.2.2", "Mailbox full", now),
        StatusEvent.followUp(sent.get(2), "citizen2@example.org", BounceKind.POLICY, 550, "5.7.26", "DMARC", now),
        StatusEvent.followUp(sent.get(3), "citizen3@example.org", BounceKind.COMPLAINT, null, null, "abuse", now)));
    String[] expected = {"billing", String.valueOf(mailsSent), percent(2, mailsSent), "1", "1",
        percent(1, mailsSent), "1", "0", "0", "1", "0", "0"};
    boolean healthShown = Pipeline.eventually(Duration.ofSeconds(15), () -> Arrays.equals(healthRow(), expected));
    assertThat(healthShown).as("billing's mail health: %s", healthRow() == null ? "no row" : String.join(" | ", healthRow()))
        .isTrue();
    assertThat(chromium.evaluate("return document.querySelector('[data-tenant=\"billing\"]').closest('tr')"
        + ".querySelector('.gauge.over') !== null")).as("1 complaint in %s mails is over the 0.3 %% line", mailsSent)
        .isEqualTo(true);
    assertThat(String.valueOf(chromium.evaluate("return document.getElementById('health').textContent")))
        .as("no addresses of recipients").doesNotContain("@");
  }

  /** The cells of billing's mail health row: tenant, sent, bounce rate, hard, soft, complaint rate, complaints, unsubscribes, suppressed, policy rejections, DKIM failures, unsigned. */
  private String[] healthRow() {
    Object row = chromium.evaluate("const e = document.querySelector('[data-tenant=\"billing\"]');"
        + " return e ? Array.from(e.closest('tr').cells).map(c => c.textContent).join('\\n') : null;");
    return row == null ? null : row.toString().split("\n");
  }

  private static String percent(int part, int whole) {
    return String.format(Locale.ROOT, "%.2f %%", 100.0 * part / whole);
  }

  /** The cells of the bulk send's row: tenant, send, progress, sent, failed, cancelled, rejected, rate/s, ETA, state. */
  private String[] bulkRow() {
    Object row = chromium.evaluate("const e = document.querySelector('[data-bulk=\"" + BULK_ID + "\"]');"
        + " return e ? Array.from(e.closest('tr').cells).map(c => c.textContent).join('\\n') : null;");
    return row == null ? null : row.toString().split("\n");
  }

  private String rowText() {
    String[] cells = bulkRow();
    return cells == null ? "no row" : String.join(" | ", cells);
  }
}
