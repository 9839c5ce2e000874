package io.postroom.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postroom.api.dashboard.TenantHealth.Event;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TenantHealthTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private final AtomicLong clock = new AtomicLong(T0.toEpochMilli());
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TenantHealth health = new TenantHealth(clock::get, registry);

  private static StatusEvent sent(String tenant, String id, Instant at) {
    return new StatusEvent(id, tenant, State.SENT, 1, "<" + id + "@example.gov.in>", "primary", 250, "2.0.0",
        "250 2.0.0 Ok", List.of(), null, null, at);
  }

  private static StatusEvent followUp(String tenant, String id, BounceKind kind, Instant at) {
    return StatusEvent.followUp(sent(tenant, id, at), "citizen@example.org", kind, 550, "5.1.1", "report", at);
  }

  private static StatusEvent suppressed(String tenant, String id, Instant at, String... recipients) {
    return new StatusEvent(id, tenant, State.SUPPRESSED, 0, null, null, null, null, null, List.of(), null, null, at)
        .withSuppressed(List.of(recipients));
  }

  private static List<StatusEvent> sent(String tenant, int count, Instant at) {
    List<StatusEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(sent(tenant, tenant + "-" + at.toEpochMilli() + "-" + i, at));
    }
    return events;
  }

  private JsonObject row(String tenant) {
    JsonArray rows = health.snapshot();
    return rows.stream().map(JsonObject.class::cast).filter(r -> r.getString("tenant").equals(tenant)).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + tenant + " in " + rows.encode()));
  }

  private void advance(Duration by) {
    clock.addAndGet(by.toMillis());
  }

  @Test
  void eachTenantsSentBouncesComplaintsAndSuppressionsAreCountedApart() {
    health.record(List.of(sent("billing", "b-1", T0), sent("billing", "b-2", T0),
        sent("billing", "b-3", T0).withSuppressed(List.of("gone@example.org", "left@example.org")),
        followUp("billing", "b-1", BounceKind.HARD, T0), followUp("billing", "b-2", BounceKind.SOFT, T0),
        followUp("billing", "b-2", BounceKind.POLICY, T0), followUp("billing", "b-3", BounceKind.COMPLAINT, T0),
        suppressed("billing", "b-4", T0, "a@example.org"), sent("pensions", "p-1", T0)));

    assertThat(health.window("billing")).containsOnly(entry(Event.SENT, 3L), entry(Event.BOUNCED_HARD, 1L),
        entry(Event.BOUNCED_SOFT, 1L), entry(Event.BOUNCED_POLICY, 1L), entry(Event.COMPLAINED, 1L),
        entry(Event.SUPPRESSED, 3L), entry(Event.SUPPRESSED_JOBS, 1L), entry(Event.UNSUBSCRIBED, 0L));
    assertThat(health.window("pensions")).containsEntry(Event.SENT, 1L).containsEntry(Event.BOUNCED_HARD, 0L);
  }

  @Test
  void statesThatAreNeitherTerminalNorFollowUpsCountNothing() {
    health.record(List.of(StatusEvent.accepted("j-1", "billing", T0),
        new StatusEvent("j-1", "billing", State.RETRYING, 1, null, "primary", 451, "4.3.0", "busy", List.of(), null, null, T0)
            .withSuppressed(List.of("gone@example.org"))));

    assertThat(health.window("billing").values()).containsOnly(0L);
    assertThat(health.snapshot()).isEmpty();
  }

  @Test
  void aSuppressedJobWithoutItsRecipientsListedCountsOneRecipient() {
    health.record(List.of(suppressed("billing", "s-1", T0)));

    assertThat(health.window("billing")).containsEntry(Event.SUPPRESSED_JOBS, 1L).containsEntry(Event.SUPPRESSED, 1L);
  }

  @Test
  void eventsLeaveTheWindowTwentyFourHoursAfterTheirOwnTime() {
    health.record(sent("billing", 4, T0));
    advance(Duration.ofHours(12));
    health.record(sent("billing", 1, T0.plus(Duration.ofHours(12))));
    advance(Duration.ofHours(11).plusMinutes(44));
    assertThat(health.window("billing")).as("23 h 44 min later").containsEntry(Event.SENT, 5L);

    advance(Duration.ofMinutes(16));
    assertThat(health.window("billing")).as("24 h later").containsEntry(Event.SENT, 1L);
    advance(Duration.ofHours(12));
    assertThat(health.window("billing")).as("36 h later").containsEntry(Event.SENT, 0L);
  }

  @Test
  void anEventReadLateCountsInTheBucketOfItsOwnTime() {
    advance(Duration.ofHours(20));
    health.record(sent("billing", 2, T0));
    advance(Duration.ofHours(4));

    assertThat(health.window("billing")).as("read 20 h after it happened, gone 4 h later").containsEntry(Event.SENT, 0L);
  }

  @Test
  void eventsOlderThanTheWindowAreNotCountedAtAllNotEvenByTheCounter() {
    health.record(sent("billing", 3, T0.minus(Duration.ofHours(25))));

    assertThat(health.window("billing")).containsEntry(Event.SENT, 0L);
    assertThat(health.tenants()).isZero();
    assertThat(registry.find(TenantHealth.METRIC).meters()).isEmpty();
  }

  @Test
  void anEventStampedAheadOfTheClockCountsNow() {
    health.record(sent("billing", 1, T0.plus(Duration.ofDays(3))));
    advance(Duration.ofHours(23));

    assertThat(health.window("billing")).containsEntry(Event.SENT, 1L);
  }

  @Test
  void theBounceRateIsHardAndSoftBouncesOverSentAndPolicyRejectionsAreApart() {
    health.record(sent("billing", 200, T0));
    health.record(List.of(followUp("billing", "x", BounceKind.HARD, T0), followUp("billing", "y", BounceKind.HARD, T0),
        followUp("billing", "z", BounceKind.SOFT, T0), followUp("billing", "w", BounceKind.POLICY, T0)));

    JsonObject row = row("billing");
    assertThat(row.getDouble("bounceRate")).isEqualTo(3 / 200.0);
    assertThat(row.getLong("bouncedPolicy")).isEqualTo(1);
    assertThat(row.getBoolean("overBounceLimit")).isFalse();
  }

  @Test
  void aComplaintRateAboveThreeInAThousandIsOverTheLine() {
    health.record(sent("billing", 1000, T0));
    health.record(sent("pensions", 1000, T0));
    for (int i = 0; i < 3; i++) {
      health.record(List.of(followUp("billing", "c" + i, BounceKind.COMPLAINT, T0),
          followUp("pensions", "c" + i, BounceKind.COMPLAINT, T0)));
    }
    health.record(List.of(followUp("pensions", "c3", BounceKind.COMPLAINT, T0)));

    assertThat(row("billing").getDouble("complaintRate")).isEqualTo(0.003);
    assertThat(row("billing").getBoolean("overComplaintLimit")).as("3 in 1000 is on the line, not over it").isFalse();
    assertThat(row("pensions").getDouble("complaintRate")).isEqualTo(0.004);
    assertThat(row("pensions").getBoolean("overComplaintLimit")).isTrue();
  }

  @Test
  void ratesAreNullWhileNothingWasSentInTheWindow() {
    health.record(List.of(followUp("billing", "old-job", BounceKind.HARD, T0)));

    assertThat(row("billing").getValue("bounceRate")).isNull();
    assertThat(row("billing").getValue("complaintRate")).isNull();
    assertThat(row("billing").getBoolean("overBounceLimit")).isFalse();
  }

  @Test
  void tenantsOverALineComeFirstThenTheLargestSenders() {
    health.record(sent("small", 10, T0));
    health.record(sent("large", 500, T0));
    health.record(sent("troubled", 100, T0));
    health.record(List.of(followUp("troubled", "t", BounceKind.COMPLAINT, T0)));

    assertThat(health.snapshot().stream().map(r -> ((JsonObject) r).getString("tenant")))
        .containsExactly("troubled", "large", "small");
  }

  @Test
  void theDashboardShowsAtMostThirtyTenants() {
    for (int i = 0; i < 40; i++) {
      health.record(sent("tenant-" + i, i + 1, T0));
    }

    JsonArray rows = health.snapshot();
    assertThat(rows).hasSize(TenantHealth.SHOWN);
    assertThat(rows.getJsonObject(0).getString("tenant")).isEqualTo("tenant-39");
  }

  @Test
  void unsubscribesComeFromSuppressionsWithReasonUnsubscribed() {
    health.record(new Suppression("billing", "a@example.org", "statements", SuppressionReason.UNSUBSCRIBED, T0, "one-click"));
    health.record(new Suppression("billing", "b@example.org", null, SuppressionReason.MANUAL, T0, "api:ops"));
    health.record(new Suppression("billing", "c@example.org", null, SuppressionReason.UNSUBSCRIBED,
        T0.minus(Duration.ofDays(2)), "mailto"));

    assertThat(row("billing").getLong("unsubscribed")).as("the one of the last 24 h").isEqualTo(1);
  }

  @Test
  void tenantsBeyondTheBoundAreCountedTogetherAsOther() {
    for (int i = 0; i < TenantHealth.MAX_TENANTS + 20; i++) {
      health.record(sent("tenant-" + i, 1, T0));
    }

    assertThat(health.tenants()).isEqualTo(TenantHealth.MAX_TENANTS + 1);
    assertThat(health.window(TenantHealth.OTHER)).containsEntry(Event.SENT, 20L);
    assertThat(health.window("tenant-" + (TenantHealth.MAX_TENANTS - 1))).containsEntry(Event.SENT, 1L);
    assertThat(health.window("tenant-" + TenantHealth.MAX_TENANTS)).containsEntry(Event.SENT, 0L);
  }

  @Test
  void aTenantWithoutEventsForADayIsForgottenWithItsCountersAndItsPlaceFreed() {
    for (int i = 0; i < TenantHealth.MAX_TENANTS; i++) {
      health.record(sent("tenant-" + i, 1, T0));
    }
    advance(Duration.ofHours(23));
    health.record(sent("tenant-0", 1, T0.plus(Duration.ofHours(23))));
    advance(Duration.ofHours(1));
    health.record(sent("newcomer", 1, T0.plus(Duration.ofHours(24))));

    assertThat(health.tenants()).isEqualTo(2);
    assertThat(health.window("newcomer")).containsEntry(Event.SENT, 1L);
    assertThat(registry.find(TenantHealth.METRIC).tag("event", "sent").meters()).hasSize(2);
    assertThat(registry.find(TenantHealth.METRIC).tag("tenant", "tenant-1").meters()).isEmpty();
  }

  @Test
  void aPlaceFreedWhileOthersAreCountedTogetherGoesToTheNextNewTenant() {
    for (int i = 0; i < TenantHealth.MAX_TENANTS + 1; i++) {
      health.record(sent("tenant-" + i, 1, T0));
    }
    advance(Duration.ofHours(23));
    // all but tenant-0 write again, tenant-500 still under (other)
    for (int i = 1; i <= TenantHealth.MAX_TENANTS; i++) {
      health.record(sent("tenant-" + i, 1, T0.plus(Duration.ofHours(23))));
    }
    advance(Duration.ofHours(1));
    health.record(sent("newcomer", 1, T0.plus(Duration.ofHours(24))));

    assertThat(health.window("newcomer")).as("tenant-0's place").containsEntry(Event.SENT, 1L);
    assertThat(health.window(TenantHealth.OTHER)).containsEntry(Event.SENT, 1L);
    assertThat(health.tenants()).isEqualTo(TenantHealth.MAX_TENANTS + 1);
  }

  @Test
  void theCounterCountsEveryEventOfTheTenantForPrometheus() {
    health.record(sent("billing", 7, T0));
    health.record(List.of(followUp("billing", "b", BounceKind.HARD, T0)));
    advance(Duration.ofHours(23));
    health.record(sent("billing", 2, T0.plus(Duration.ofHours(23))));
    advance(Duration.ofHours(2));

    String scraped = registry.scrape();
    assertThat(scraped).contains("postroom_tenant_mail_total{event=\"sent\",tenant=\"billing\"} 9.0")
        .as("a counter: events leaving the window do not lower it")
        .contains("postroom_tenant_mail_total{event=\"bounced_hard\",tenant=\"billing\"} 1.0")
        .contains("postroom_tenant_mail_total{event=\"suppressed_jobs\",tenant=\"billing\"} 0.0")
        .doesNotContain("event=\"unsubscribed\"");
    assertThat(health.window("billing")).containsEntry(Event.SENT, 2L);
  }

  @Test
  void eachRowCarriesTheTenantsDkimCountsAndSigningFailuresComeFirst() {
    health.record(sent("large", 500, T0));
    health.record(sent("billing", 10, T0));
    JsonObject dkim = new JsonObject()
        .put("billing", new JsonObject().put("signed", 8L).put("unsigned", 0L).put("failures", 2L))
        .put("large", new JsonObject().put("signed", 500L).put("unsigned", 0L).put("failures", 0L));

    JsonArray rows = health.snapshot(dkim);
    assertThat(rows.getJsonObject(0).getString("tenant")).isEqualTo("billing");
    assertThat(rows.getJsonObject(0).getLong("dkimFailures")).isEqualTo(2);
    assertThat(rows.getJsonObject(1).getLong("dkimSigned")).isEqualTo(500);
  }

  @Test
  void aTenantWhoseMailGoesOutUnsignedIsShownEvenWithoutMailEventsInTheWindow() {
    JsonObject dkim = new JsonObject()
        .put("pensions", new JsonObject().put("signed", 0L).put("unsigned", 7L).put("failures", 0L))
        .put("quiet", new JsonObject().put("signed", 40L).put("unsigned", 0L).put("failures", 0L));

    JsonArray rows = health.snapshot(dkim);
    assertThat(rows).hasSize(1);
    assertThat(rows.getJsonObject(0).getString("tenant")).isEqualTo("pensions");
    assertThat(rows.getJsonObject(0).getLong("dkimUnsigned")).isEqualTo(7);
    assertThat(rows.getJsonObject(0).getLong("sent")).isZero();
  }
}
