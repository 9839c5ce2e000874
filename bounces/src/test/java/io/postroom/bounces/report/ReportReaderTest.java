package io.postroom.bounces.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.compliance.BounceKind;
import org.junit.jupiter.api.Test;

class ReportReaderTest {

  @Test
  void postfixsUnknownUserDsnIsOneHardBounceWithTheSenderFromXPostfixSender() {
    Report report = SampleReports.read("postfix-5.1.1.eml");

    assertThat(report).isInstanceOf(Report.DeliveryReport.class);
    Report.DeliveryReport dsn = (Report.DeliveryReport) report;
    assertThat(dsn.reportId()).isEqualTo("<20261202150211.5A1B2C3D4F@relay.postroom.test>");
    assertThat(dsn.envelopeAddresses())
        .containsExactly("bounces+mj3k2x1a.4f7q9zk2b1c0-k1-abcdefghijkl@bounces.postroom.test");
    assertThat(dsn.recipients()).containsExactly(
        new Recipient("x@dead.postroom.test", BounceKind.HARD, null, "5.1.1", "User unknown"));
  }

  @Test
  void theDeliveredToLineComesBeforeTheAddressesInsideTheReport() {
    Report.DeliveryReport dsn = (Report.DeliveryReport) SampleReports.read("postfix-5.1.1.eml",
        "Delivered-To: bounces+a.b-k1-cccccccccccc@bounces.postroom.test");

    assertThat(dsn.envelopeAddresses()).first().isEqualTo("bounces+a.b-k1-cccccccccccc@bounces.postroom.test");
  }

  @Test
  void gmailsDmarcRejectionIsPolicyWithTheSmtpReplyAndItsUnfoldedText() {
    Report.DeliveryReport dsn = (Report.DeliveryReport) SampleReports.read("gmail-5.7.26.eml");

    Recipient recipient = dsn.recipients().get(0);
    assertThat(recipient.kind()).isEqualTo(BounceKind.POLICY);
    assertThat(recipient.smtpCode()).isEqualTo(550);
    assertThat(recipient.statusCode()).isEqualTo("5.7.26");
    assertThat(recipient.text()).startsWith("550-5.7.26 Unauthenticated email from pensions.example is not accepted")
        .doesNotContain("\n");
  }

  @Test
  void exchangesAuthenticationLevelRejectionIsPolicyAndItsToAddressIsNoEnvelopeAddress() {
    Report.DeliveryReport dsn = (Report.DeliveryReport) SampleReports.read("outlook-5.7.515.eml");

    assertThat(dsn.recipients()).singleElement().satisfies(r -> {
      assertThat(r.address()).isEqualTo("ravi@outlook.example");
      assertThat(r.kind()).isEqualTo(BounceKind.POLICY);
      assertThat(r.statusCode()).isEqualTo("5.7.515");
    });
    assertThat(dsn.envelopeAddresses()).isEmpty();
  }

  @Test
  void aBlockListNamedInTheDiagnosticMakesA500Policy() {
    Report.DeliveryReport dsn = (Report.DeliveryReport) SampleReports.read("blocklist-5.0.0.eml");

    assertThat(dsn.recipients()).extracting(Recipient::kind).containsExactly(BounceKind.POLICY);
  }

  @Test
  void aDelayWarningIsSoft() {
    Report.DeliveryReport dsn = (Report.DeliveryReport) SampleReports.read("delayed-4.4.1.eml");

    assertThat(dsn.recipients()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo(BounceKind.SOFT);
      assertThat(r.statusCode()).isEqualTo("4.4.1");
      assertThat(r.text()).isEqualTo("connect to mx.slow.example[192.0.2.80]:25: Connection timed out");
    });
  }

  @Test
  void aDeliveredRecipientOfTheSameReportIsLeftOutAndTheOriginalRecipientIsPreferred() {
    Report.DeliveryReport dsn = (Report.DeliveryReport) SampleReports.read("mixed-recipients.eml");

    assertThat(dsn.recipients()).singleElement().satisfies(r -> {
      assertThat(r.address()).isEqualTo("Gone@ISP.example");
      assertThat(r.kind()).isEqualTo(BounceKind.HARD);
      assertThat(r.smtpCode()).isEqualTo(550);
    });
  }

  @Test
  void anArfAbuseReportIsAComplaintAboutTheOriginalMessageId() {
    Report report = SampleReports.read("arf-abuse.eml");

    assertThat(report).isEqualTo(new Report.Complaint("<arf-20261203080000-41@mailbox-provider.example>",
        java.util.List.of("bounces+mj3k2x1f.3d3e3f303132-k1-abcdefghijkl@bounces.pensions.example"), "abuse",
        "<mj3k2x1f.3d3e3f303132@pensions.example>", "priya@mailbox-provider.example"));
  }

  @Test
  void anArfWithOnlyTheOriginalHeadersTakesTheRecipientFromTheOriginalTo() {
    Report.Complaint complaint = (Report.Complaint) SampleReports.read("arf-headers.eml");

    assertThat(complaint.originalMessageId()).isEqualTo("<mj3k2x1g.4e4f40414243@pensions.example>");
    assertThat(complaint.recipient()).isEqualTo("Dev.Kumar@isp.example");
    assertThat(complaint.envelopeAddresses()).isEmpty();
  }

  @Test
  void anAutoReplyIsUnreadableSayingWhatItIs() {
    Report report = SampleReports.read("out-of-office.eml");

    assertThat(report).isInstanceOf(Report.Unreadable.class);
    assertThat(((Report.Unreadable) report).why()).contains("not a delivery status notification").contains("text/plain");
  }

  @Test
  void anUnsubscribeSubjectCarriesItsToken() {
    Report report = ReportReader.read(SampleReports.message("out-of-office.eml",
        "Subject: unsubscribe AbCdEfGhIjKlMnOpQrSt_-12"));

    assertThat(report).isInstanceOf(Report.Unsubscribe.class);
    assertThat(((Report.Unsubscribe) report).token()).isEqualTo("AbCdEfGhIjKlMnOpQrSt_-12");
  }
}
