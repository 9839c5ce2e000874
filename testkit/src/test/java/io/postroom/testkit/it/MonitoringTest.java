package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.metrics.ComplianceMetricNames;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the alert rules in {@code monitoring/} use only metrics that a running
 * dispatcher and api really export: a workload that makes every kind of event happen (sent, 451
 * retried, 550 refused, a dead letter, refusals at the api, a bulk send with a recipient the api
 * refuses and one whose template cannot be rendered), then every {@code postroom_*} name the
 * files mention must be on one of the two {@code /metrics} pages, or be one of the few this
 * workload cannot make ({@link #MADE_ELSEWHERE}, each with the reason).
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class MonitoringTest {
  private static final Path MONITORING = Path.of("..", "monitoring");
  private static final Pattern METRIC = Pattern.compile("\\bpostroom_[a-z_]+\\b");
  private static final String BOUNCE_READER = "the bounce reader (bin/postroom bounces), a process this test does not"
      + " start: it needs an IMAP mailbox";
  /**
   * Names the monitoring files use (the contract's, {@link ComplianceMetricNames}) that appear only
   * where this workload does not reach, each with why. A name the processes here do export must
   * leave this list, and each must be in docs/metrics.md.
   */
  private static final Map<String, String> MADE_ELSEWHERE = Map.ofEntries(
      Map.entry(ComplianceMetricNames.BOUNCE_REPORTS, BOUNCE_READER),
      Map.entry(ComplianceMetricNames.BOUNCES, BOUNCE_READER),
      Map.entry(ComplianceMetricNames.COMPLAINTS, BOUNCE_READER),
      Map.entry(ComplianceMetricNames.BOUNCE_POLICY_FAILURES, BOUNCE_READER),
      Map.entry(ComplianceMetricNames.BOUNCE_SUPPRESSIONS, BOUNCE_READER),
      Map.entry(ComplianceMetricNames.DKIM_SIGNED, "a dispatcher with a DKIM key for the tenant; this workload configures none"),
      Map.entry(ComplianceMetricNames.DKIM_UNSIGNED, "a tenant that sends unsigned where a key is missing; this workload configures no DKIM"),
      Map.entry(ComplianceMetricNames.DKIM_FAILURES, "a DKIM key that cannot sign; this workload configures none"),
      Map.entry(ComplianceMetricNames.SUPPRESSED_RECIPIENTS, "a suppressed recipient; this workload suppresses no address"),
      Map.entry(ComplianceMetricNames.API_UNSUBSCRIBES, "an unsubscribe (POST /u/{token}); this workload makes none"),
      Map.entry(ComplianceMetricNames.API_SUPPRESSIONS_CHANGED, "a change through /v1/suppressions; this workload makes none"));
  private Pipeline pipeline;
  private ApiFixture api;

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() {
    Fixtures.close(api, pipeline);
  }

  private static Set<String> metricsNamedIn(String... files) throws IOException {
    Set<String> names = new TreeSet<>();
    for (String file : files) {
      Matcher m = METRIC.matcher(Files.readString(MONITORING.resolve(file), StandardCharsets.UTF_8));
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  private static boolean exported(String metricsText, String name) {
    return Pattern.compile("(?m)^" + name + "[{ ]").matcher(metricsText).find();
  }

  @Test
  void everyMetricTheDashboardAndAlertsUseIsExported(Vertx vertx) throws IOException {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().transientMailFromFailures(1)
        .rejectRecipients("nobody.*", "550 5.1.1 <{address}>: Recipient address rejected: User unknown").build());
    pipeline = Pipeline.create("monitoring").relay(relay).startDispatcher();
    api = ApiFixture.behind(vertx, dir, pipeline);
    JsonObject invalid = ApiFixture.billingJob("m-bad");
    invalid.remove("subject");
    api.post(ApiFixture.BILLING_KEY, new JsonObject().put("jobs", new JsonArray()
        .add(ApiFixture.billingJob("m-1")).add(ApiFixture.billingJob("m-2"))
        .add(SampleJobs.valid("m-3", "billing", "nobody@example.org")).add(invalid)));
    api.post(ApiFixture.BILLING_KEY, ApiFixture.billingJob("m-1"));
    api.post(ApiFixture.ALERTS_KEY, ApiFixture.billingJob("m-4"));
    pipeline.publishRaw("m-raw", "{not json".getBytes(StandardCharsets.UTF_8));
    JsonObject bulk = SampleBulks.statement("m-bulk", "billing", 0, 3, n -> switch (n) {
      case 1 -> SampleBulks.citizen(n).put("to", "not an address");
      case 2 -> SampleBulks.citizen(n).put("vars", new JsonObject().put("name", "Citizen 2"));
      default -> SampleBulks.citizen(n);
    });
    assertThat(api.send("POST", "/v1/bulk", ApiFixture.BILLING_KEY, bulk).statusCode()).isEqualTo(202);
    OutcomeWatcher outcomes = pipeline.awaitFinished(6, Duration.ofSeconds(60));
    assertThat(outcomes.deadLetters()).isNotEmpty();
    assertThat(Pipeline.eventually(Duration.ofSeconds(10), () -> api.get(null, "/metrics").body()
        .matches("(?s).*postroom_backlog_jobs \\d.*"))).as("the backlog was probed").isTrue();

    String metrics = pipeline.metrics() + "\n" + api.get(null, "/metrics").body();
    Set<String> used = metricsNamedIn("postroom-grafana.json", "postroom-alerts.yml");

    assertThat(used).as("metrics the monitoring files use").hasSizeGreaterThan(15);
    assertThat(used.stream().filter(name -> !exported(metrics, name) && !MADE_ELSEWHERE.containsKey(name)).toList())
        .as("metrics used by monitoring/ but exported by neither the dispatcher nor the api").isEmpty();
    assertThat(MADE_ELSEWHERE.keySet().stream().filter(name -> exported(metrics, name)).toList())
        .as("metrics exported here after all: take them out of MADE_ELSEWHERE").isEmpty();
  }

  @Test
  void theMetricsThisWorkloadCannotMakeAreUsedByMonitoringAndDocumented() throws IOException {
    String documented = Files.readString(Path.of("..", "docs", "metrics.md"), StandardCharsets.UTF_8);

    assertThat(metricsNamedIn("postroom-grafana.json", "postroom-alerts.yml")).containsAll(MADE_ELSEWHERE.keySet());
    assertThat(MADE_ELSEWHERE.keySet()).allSatisfy(name -> assertThat(documented).contains("`" + name + "`"));
  }
}
