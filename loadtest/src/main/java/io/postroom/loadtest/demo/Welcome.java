package io.postroom.loadtest.demo;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.testkit.KafkaBroker;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.ReceivedMail;
import io.postroom.testkit.SmtpRelay;
import io.postroom.testkit.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's part of issue 16, mail that is welcome: two of tenant billing's citizens are on its
 * suppression list before the jobs are published (their jobs must end SUPPRESSED and nothing reach
 * them), every mail leaves with a VERP envelope sender, and every bulk mail carries a one-click
 * unsubscribe link. {@link #report} checks and prints it.
 */
final class Welcome {
  static final String BOUNCE_DOMAIN = "bounces.example.gov.in";
  static final String UNSUBSCRIBE_MAILBOX = "unsubscribe@example.gov.in";
  private static final String TENANT = "billing";
  /** Demo jobs i go to citizen{i}@example.org, tenant billing when i % 3 == 0; past the repeated first five. */
  private static final Map<Integer, SuppressionReason> SUPPRESSED = Map.of(6, SuppressionReason.HARD_BOUNCE,
      9, SuppressionReason.UNSUBSCRIBED);

  private Welcome() {
  }

  /** Puts the two citizens on billing's list; what was done, in lines to print. */
  static List<String> suppressBeforeTheJobs(KafkaBroker broker, Topics topics, int jobCount) {
    List<String> said = new ArrayList<>();
    // made now so that the dispatcher, started next, reads these before it takes a job
    broker.createCompactedTopics(topics.suppressions());
    for (Map.Entry<Integer, SuppressionReason> entry : SUPPRESSED.entrySet()) {
      if (entry.getKey() >= jobCount) {
        continue;
      }
      Suppression s = new Suppression(TENANT, address(entry.getKey()), null, entry.getValue(), Instant.now(), "demo");
      broker.publish(topics.suppressions(), s.key(), s.toJson().encode().getBytes(StandardCharsets.UTF_8));
      said.add("  suppression list: " + s.address() + " of tenant " + TENANT + " (" + s.reason() + ")");
    }
    return said;
  }

  private static String address(int citizen) {
    return "citizen" + citizen + "@example.org";
  }

  /** Prints and checks what the demo's mail carried and whom it spared; false if something is not as it must be. */
  static boolean report(OutcomeWatcher watcher, SmtpRelay relay, int jobCount, PrintWriter out) {
    out.println();
    out.println("Mail that is welcome (docs/compliance.md)");
    boolean ok = true;
    Map<String, List<StatusEvent>> byId = watcher.terminalById();
    for (int citizen : SUPPRESSED.keySet()) {
      if (citizen >= jobCount) {
        continue;
      }
      List<StatusEvent> events = byId.getOrDefault("demo-" + citizen, List.of());
      // the bulk sends (tenant demo) write to the same citizens: only billing's jobs are suppressed
      long mailed = relay.received().stream().filter(m -> m.recipients().contains(address(citizen))
          && !BulkSend.Personalised.isBulkMail(m)).count();
      boolean right = events.size() == 1 && events.get(0).state() == State.SUPPRESSED && mailed == 0;
      ok &= right;
      out.printf("  %-15s demo-%d to %s: %s, %d mails to the address%s%n", "suppressed", citizen, address(citizen),
          events.isEmpty() ? "no outcome" : events.get(0).state(), mailed, right ? "" : ": NOT as expected");
    }
    List<ReceivedMail> mails = relay.received();
    long verp = mails.stream().filter(m -> m.from() != null && m.from().startsWith("bounces+")
        && m.from().endsWith("@" + BOUNCE_DOMAIN)).count();
    boolean allVerp = verp == mails.size();
    ok &= allVerp;
    out.printf(Locale.ROOT, "  %-15s %,d of %,d mails at the relay with a VERP envelope sender bounces+…@%s%s%n",
        "VERP", verp, mails.size(), BOUNCE_DOMAIN, allVerp ? "" : ": NOT as expected");
    long bulk = mails.stream().filter(BulkSend.Personalised::isBulkMail).count();
    long oneClick = mails.stream().filter(m -> m.text().contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        && m.text().contains("List-Unsubscribe: <http://localhost:")).count();
    boolean linked = oneClick == bulk;
    ok &= linked;
    out.printf(Locale.ROOT, "  %-15s %,d of the %,d bulk mails carry a one-click unsubscribe link%s%n", "unsubscribe",
        oneClick, bulk, linked ? "" : ": NOT as expected");
    return ok;
  }
}
