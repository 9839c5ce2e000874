package io.postroom.loadtest.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.CommandRun;
import io.postroom.testkit.IntegrationTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/postroom demo} end to end on a small run: its own broker, relay, dispatcher and api. The
 * single jobs and both bulk sends end as they must, once each, and the summary says so.
 */
@IntegrationTest
class DemoTest {
  private static final Pattern CANCELLED_SEND = Pattern.compile(
      "demo-reminder +600 recipients at most 20/s, cancelled at \\d+ sent: ([\\d,]+) SENT, ([\\d,]+) CANCELLED");

  @Test
  void theJobsAndBothBulkSendsEndOnceEachAndTheSummarySaysHow() {
    CommandRun run = CommandRun.of(new Demo(), "--jobs", "300", "--recipients", "600");

    assertThat(run.exitCode()).as(run.out()).isZero();
    // 300 jobs and 16 bad, repeated or refused records, and 600 recipients of each bulk send
    assertThat(run.out()).containsPattern("finished +1,516 of 1,516")
        .contains("Posted bulk send demo-statement: 600 recipients accepted in 1 chunk, 2 of them without the"
            + " variable 'amount'")
        .contains("demo-statement  600 recipients: 598 SENT, 2 REJECTED")
        .contains("c-200 REJECTED RENDER_FAILED: variable amount is missing")
        .contains("c-400 REJECTED RENDER_FAILED: variable amount is missing")
        .contains("GET /v1/bulk/demo-statement: control RUNNING, 598 SENT, 2 REJECTED, 600 finished (the same)")
        .contains("GET /v1/bulk/demo-reminder: control CANCELLED")
        .doesNotContain("NOT as expected", "NOT the same", "NOT every")
        .contains("exactly one terminal state per job and bulk recipient: yes");
    Matcher cancelled = CANCELLED_SEND.matcher(run.out());
    assertThat(cancelled.find()).as(run.out()).isTrue();
    int sent = Integer.parseInt(cancelled.group(1).replace(",", ""));
    int cancelledRecipients = Integer.parseInt(cancelled.group(2).replace(",", ""));
    assertThat(sent + cancelledRecipients).isEqualTo(600);
    assertThat(cancelledRecipients).isPositive();
    String bulkMails = String.format("%,d", 598 + sent);
    assertThat(run.out()).containsPattern("personalised +" + bulkMails + " mails of the bulk sends at the relay, "
        + bulkMails + " greeting their recipient");
  }
}
