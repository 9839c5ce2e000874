package io.postroom.bounces.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.compliance.BounceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BounceClassifierTest {

  @ParameterizedTest(name = "{0} {1} ''{2}'' is {3}")
  @CsvSource(delimiter = '|', value = {
      "failed  | 5.1.1   | X-Postfix; User unknown                                         | HARD",
      "failed  | 5.1.10  | 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found   | HARD",
      "failed  | 5.2.1   | 550 5.2.1 The email account that you tried to reach is disabled  | HARD",
      "failed  | 5.7.26  | 550-5.7.26 Unauthenticated email is not accepted                 | POLICY",
      "failed  | 5.7.28  | 550-5.7.28 unusual rate of unsolicited mail                      | POLICY",
      "failed  | 5.7.515 | 550 5.7.515 Access denied, sending domain doesn't meet the level | POLICY",
      "failed  | 5.7.1   | 554 5.7.1 Service unavailable                                    | POLICY",
      "delayed | 4.7.28  | 421-4.7.28 unusual rate of unsolicited mail                      | POLICY",
      "failed  | 5.0.0   | 554 5.0.0 Client host [203.0.113.9] blocked using zen.spamhaus   | POLICY",
      "failed  | 5.5.0   | 550 5.5.0 Message rejected: sender on our blocklist              | POLICY",
      "failed  | 5.0.0   | 550 Our system has detected that this message is likely spam     | POLICY",
      "failed  | 5.0.0   | 550 Poor sender reputation                                       | POLICY",
      "failed  | 5.5.0   | 550 Rejected by DMARC                                             | POLICY",
      "failed  | 5.3.0   | 550 Message refused by local policy                               | POLICY",
      "delayed | 4.4.1   | X-Postfix; connect to mx.slow.example: Connection timed out      | SOFT",
      "failed  | 4.2.2   | 452 4.2.2 Mailbox full                                            | SOFT",
      "delayed | 5.1.1   | unusual, but a delay is never final                               | SOFT",
  })
  void aRecipientBlockIsClassifiedByItsStatusAndDiagnostic(String action, String status, String diagnostic,
      BounceKind kind) {
    assertThat(BounceClassifier.classify(action, status, diagnostic)).contains(kind);
  }

  @Test
  void aFailureWithoutAReadableStatusOnlyCountsAsSoft() {
    assertThat(BounceClassifier.classify("failed", "unknown", null)).contains(BounceKind.SOFT);
  }

  @Test
  void deliveredRelayedAndExpandedAreNoBounce() {
    assertThat(BounceClassifier.classify("delivered", "2.0.0", "250 OK")).isEmpty();
    assertThat(BounceClassifier.classify("relayed", "2.0.0", null)).isEmpty();
    assertThat(BounceClassifier.classify("expanded", "2.0.0", null)).isEmpty();
  }

  @Test
  void theStatusCodeIsReadWithoutItsComment() {
    assertThat(BounceClassifier.statusCode("5.7.26 (delivery not authorized)")).isEqualTo("5.7.26");
    assertThat(BounceClassifier.statusCode("none")).isNull();
  }
}
