package io.postroom.bounces;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.bounces.report.Recipient;
import io.postroom.bounces.report.Report;
import io.postroom.bounces.report.SampleReports;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.BounceKind;
import io.postroom.contract.compliance.BounceToken;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.compliance.TokenKeys;
import io.postroom.contract.compliance.UnsubscribeToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTriageTest {
  private static final TokenKeys KEYS = keys("k1", 1);
  private static final Instant NOW = Instant.parse("2026-12-02T15:05:00Z");
  private static final String MESSAGE_ID = "<mj3k2x1a.4f7q9zk2b1c0@pensions.example>";
  private static final String VERP = BounceToken.address(KEYS, MESSAGE_ID, "bounces.postroom.test").orElseThrow();
  private static final StatusEvent SENT = new StatusEvent("statement-4711", "pensions", State.SENT, 1, MESSAGE_ID,
      "primary", 250, "2.0.0", "250 2.0.0 Ok", List.of(), null, null, NOW.minusSeconds(60), "statements-2026-12",
      "c-1001");

  private final Map<String, StatusEvent> index = new HashMap<>(Map.of("mj3k2x1a.4f7q9zk2b1c0", SENT));
  private final Map<String, List<Instant>> softHistory = new HashMap<>();
  private final ReportTriage triage = new ReportTriage(KEYS, ref -> Optional.ofNullable(index.get(ref)),
      (tenant, address) -> softHistory.getOrDefault(tenant + "|" + address, List.of()), Duration.ofHours(1), 3,
      Duration.ofDays(7));

  private static TokenKeys keys(String id, int seed) {
    byte[] secret = new byte[32];
    java.util.Arrays.fill(secret, (byte) seed);
    return TokenKeys.parse(id + " " + Base64.getEncoder().encodeToString(secret));
  }

  private static Report.DeliveryReport dsn(String envelope, BounceKind kind, String status) {
    return new Report.DeliveryReport("<r1@relay>", List.of(envelope),
        List.of(new Recipient("X@Dead.postroom.test", kind, 550, status, "550 " + status + " no")));
  }

  @Test
  void aHardBounceToOurVerpAddressIsBouncedForTheJobAndSuppressesTheRecipient() {
    Verdict verdict = triage.decide(dsn(VERP, BounceKind.HARD, "5.1.1"), NOW, NOW);

    assertThat(verdict).isInstanceOf(Verdict.Publish.class);
    Verdict.Publish publish = (Verdict.Publish) verdict;
    assertThat(publish.outcome()).isEqualTo("bounce");
    assertThat(publish.events()).singleElement().satisfies(event -> {
      assertThat(event.id()).isEqualTo("statement-4711");
      assertThat(event.state()).isEqualTo(State.BOUNCED);
      assertThat(event.followUp()).isEqualTo(new StatusEvent.FollowUp("x@dead.postroom.test", BounceKind.HARD));
      assertThat(event.enhancedCode()).isEqualTo("5.1.1");
      assertThat(event.smtpCode()).isEqualTo(550);
      assertThat(event.bulkId()).isEqualTo("statements-2026-12");
      assertThat(event.messageId()).isEqualTo(MESSAGE_ID);
    });
    assertThat(publish.suppressions()).containsExactly(new Suppression("pensions", "x@dead.postroom.test", "*",
        SuppressionReason.HARD_BOUNCE, NOW, "bounce:statement-4711"));
  }

  @Test
  void aPolicyRejectionIsBouncedButSuppressesNothing() {
    Verdict.Publish publish = (Verdict.Publish) triage.decide(dsn(VERP, BounceKind.POLICY, "5.7.26"), NOW, NOW);

    assertThat(publish.events()).extracting(e -> e.followUp().kind()).containsExactly(BounceKind.POLICY);
    assertThat(publish.suppressions()).isEmpty();
  }

  @Test
  void aVerpAddressWithAnAlteredMacIsForgedAndPublishesNothing() {
    String altered = VERP.replaceFirst("-k1-.", "-k1-" + (VERP.charAt(VERP.indexOf("-k1-") + 4) == 'a' ? 'b' : 'a'));

    Verdict verdict = triage.decide(dsn(altered, BounceKind.HARD, "5.1.1"), NOW, NOW);

    assertThat(verdict).isInstanceOf(Verdict.Aside.class);
    assertThat(verdict.outcome()).isEqualTo("forged");
  }

  @Test
  void aVerpAddressMadeWithAnotherKeyIsForged() {
    String foreign = BounceToken.address(keys("k1", 2), MESSAGE_ID, "bounces.postroom.test").orElseThrow();

    assertThat(triage.decide(dsn(foreign, BounceKind.HARD, "5.1.1"), NOW, NOW).outcome()).isEqualTo("forged");
  }

  @Test
  void aReportWithoutAnyVerpAddressIsUnknown() {
    Verdict verdict = triage.decide(dsn("bounces@bounces.postroom.test", BounceKind.HARD, "5.1.1"), NOW, NOW);

    assertThat(verdict.outcome()).isEqualTo("unknown-message");
    assertThat(((Verdict.Aside) verdict).reason()).contains("no VERP address");
  }

  @Test
  void aReportOfAMailTheIndexDoesNotKnowYetWaitsWhileYoung() {
    index.clear();

    assertThat(triage.decide(dsn(VERP, BounceKind.HARD, "5.1.1"), NOW.minusSeconds(30), NOW))
        .isInstanceOf(Verdict.Later.class);
  }

  @Test
  void aReportOfAMailTheIndexStillDoesNotKnowAfterTheGraceGoesAside() {
    index.clear();

    Verdict verdict = triage.decide(dsn(VERP, BounceKind.HARD, "5.1.1"), NOW.minus(Duration.ofMinutes(61)), NOW);

    assertThat(verdict.outcome()).isEqualTo("unknown-message");
    assertThat(((Verdict.Aside) verdict).reason()).contains("bounces.unknownGrace");
  }

  @Test
  void softBouncesCountAndTheThirdWithinTheWindowSuppressesAndStartsTheCountAgain() {
    softHistory.put("pensions|x@dead.postroom.test", List.of(NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofDays(2))));

    Verdict.Publish second = (Verdict.Publish) triage.decide(dsn(VERP, BounceKind.SOFT, "4.2.2"), NOW, NOW);
    Verdict.Publish third = (Verdict.Publish) triage.decide(dsn(VERP, BounceKind.SOFT, "4.2.2"), NOW, NOW.plusSeconds(1));

    assertThat(second.suppressions()).isEmpty();
    assertThat(second.softBounces()).containsEntry("pensions|x@dead.postroom.test",
        List.of(NOW.minus(Duration.ofDays(2)), NOW));
    assertThat(third.suppressions()).singleElement().satisfies(s -> {
      assertThat(s.reason()).isEqualTo(SuppressionReason.HARD_BOUNCE);
      assertThat(s.source()).isEqualTo("soft-bounces:3");
    });
    assertThat(third.softBounces()).containsEntry("pensions|x@dead.postroom.test", List.of());
  }

  @Test
  void aComplaintIsFoundByTheOriginalMessageIdAndSuppressesTheComplainer() {
    Report.Complaint complaint = new Report.Complaint("<arf-1@fbl>", List.of(), "abuse", MESSAGE_ID,
        "Priya@mailbox-provider.example");

    Verdict.Publish publish = (Verdict.Publish) triage.decide(complaint, NOW, NOW);

    assertThat(publish.outcome()).isEqualTo("complaint");
    assertThat(publish.events()).singleElement().satisfies(event -> {
      assertThat(event.state()).isEqualTo(State.COMPLAINED);
      assertThat(event.followUp()).isEqualTo(new StatusEvent.FollowUp("priya@mailbox-provider.example",
          BounceKind.COMPLAINT));
    });
    assertThat(publish.suppressions()).extracting(Suppression::reason, Suppression::source)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(SuppressionReason.COMPLAINT, "complaint:statement-4711"));
  }

  @Test
  void aComplaintWhoseVerpAddressNamesAnotherMailIsForged() {
    String other = BounceToken.address(KEYS, "<zzzz.yyyy@pensions.example>", "bounces.postroom.test").orElseThrow();
    Report.Complaint complaint = new Report.Complaint("<arf-1@fbl>", List.of(other), "abuse", MESSAGE_ID,
        "priya@mailbox-provider.example");

    assertThat(triage.decide(complaint, NOW, NOW).outcome()).isEqualTo("forged");
  }

  @Test
  void aComplaintAboutAnotherSendersMailIsUnknown() {
    Report.Complaint complaint = new Report.Complaint("<arf-1@fbl>", List.of(), "abuse", "<CAF=x@mail.gmail.example>",
        "priya@mailbox-provider.example");

    assertThat(triage.decide(complaint, NOW, NOW).outcome()).isEqualTo("unknown-message");
  }

  @Test
  void anUnreadableMessageGoesAsideWithItsReason() {
    Verdict verdict = triage.decide(SampleReports.read("out-of-office.eml"), NOW, NOW);

    assertThat(verdict).isInstanceOf(Verdict.Aside.class);
    assertThat(verdict.outcome()).isEqualTo("unparseable");
  }

  @Test
  void anUnsubscribeMailWithOurTokenSuppressesTheStreamForTheAddress() {
    String token = new UnsubscribeToken("pensions", "statements", "asha@example.org").seal(KEYS);

    Verdict.Publish publish = (Verdict.Publish) triage.decide(new Report.Unsubscribe("<u1@x>", token), NOW, NOW);

    assertThat(publish.suppressions()).singleElement().satisfies(s -> {
      assertThat(s.key()).isEqualTo("pensions|statements|asha@example.org");
      assertThat(s.reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED);
      assertThat(s.source()).isEqualTo("mailto");
    });
    assertThat(publish.events()).isEmpty();
  }

  @Test
  void anUnsubscribeMailWithAForgedTokenGoesAside() {
    String token = new UnsubscribeToken("pensions", "statements", "asha@example.org").seal(keys("k1", 9));

    assertThat(triage.decide(new Report.Unsubscribe("<u1@x>", token), NOW, NOW).outcome()).isEqualTo("forged");
  }

  @Test
  void everyRealSampleDsnWithOurVerpAddressLeadsToOneEventPerBouncedRecipient() {
    List<String> outcomes = new ArrayList<>();
    for (String sample : List.of("postfix-5.1.1.eml", "gmail-5.7.26.eml", "outlook-5.7.515.eml",
        "blocklist-5.0.0.eml", "delayed-4.4.1.eml", "mixed-recipients.eml")) {
      Verdict verdict = triage.decide(SampleReports.read(sample, "Delivered-To: " + VERP), NOW, NOW);
      outcomes.add(sample + " " + verdict.outcome() + " " + ((Verdict.Publish) verdict).events().size());
    }

    assertThat(outcomes).allSatisfy(line -> assertThat(line).endsWith(" bounce 1"));
  }
}
