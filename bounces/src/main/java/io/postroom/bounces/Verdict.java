package io.postroom.bounces;

import io.postroom.contract.StatusEvent;
import io.postroom.contract.compliance.Suppression;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What becomes of one message of the mailbox. */
public sealed interface Verdict {
  /** The label of {@code postroom_bounce_reports_total{outcome}}. */
  String outcome();

  /**
   * Its records go to Kafka, then it moves to the processed folder.
   *
   * @param outcome {@code bounce}, {@code complaint} or {@code unsubscribe}
   * @param softBounces the soft-bounce times of each {@code tenant|address} after this report
   */
  record Publish(String outcome, List<StatusEvent> events, List<Suppression> suppressions,
      Map<String, List<Instant>> softBounces) implements Verdict {
  }

  /**
   * It moves to the aside folder with the reason; nothing is published.
   *
   * @param outcome {@code unparseable}, {@code forged} or {@code unknown-message}
   */
  record Aside(String outcome, String reason) implements Verdict {
  }

  /** It stays where it is, to be read again at the next poll (the sent index may lag). */
  record Later(String reason) implements Verdict {
    @Override
    public String outcome() {
      return "later";
    }
  }
}
