package io.postroom.testkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.testkit.IntegrationTest;
import io.postroom.testkit.OutcomeWatcher;
import io.postroom.testkit.SampleJobs;
import io.postroom.testkit.SmtpRelay;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One tenant's bulk backlog does not delay another tenant's urgent mail: tenant "newsletter" puts
 * 50,000 bulk jobs on mail.jobs, then tenant "alerts" 100 high ones behind them. The dispatcher
 * parks the full bulk lane's jobs on its lane topic, reaches the high jobs in seconds and sends them
 * first. The relay is limited to {@value #RATE} messages a second, so the backlog takes at least
 * {@value #BULK} / {@value #RATE} s whatever the machine: the bound says "long before", not "fast".
 * Then every one of the 50,100 jobs is counted: SENT once, one message each at the relay.
 */
@IntegrationTest
@ExtendWith(VertxExtension.class)
class FairnessTest {
  private static final int BULK = 50_000;
  private static final int HIGH = 100;
  private static final int RATE = 800;
  /** The high jobs end within this of being published... */
  private static final Duration HIGH_BOUND = Duration.ofSeconds(30);
  /** ...while the bulk backlog is less than this far done (it needs at least 62.5 s at the rate limit). */
  private static final int BULK_DONE_AT_MOST = BULK / 2;
  private static final Pattern MOVED_TO_LANE = Pattern.compile("postroom_jobs_moved_total\\{to=\"lane\"} (\\S+)");
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static List<JsonObject> jobs(String prefix, String tenant, String priority, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> SampleJobs.valid(prefix + i, tenant, "citizen" + i + "@example.org").put("priority", priority))
        .toList();
  }

  private static long count(OutcomeWatcher outcomes, Predicate<StatusEvent> which) {
    return outcomes.terminalEvents().stream().filter(which).count();
  }

  @Test
  void anotherTenantsHighJobsOvertakeABulkBacklogOfFiftyThousand(Vertx vertx) {
    SmtpRelay relay = Pipeline.startRelay(vertx, Pipeline.relayOptions().build());
    pipeline = Pipeline.create("fairness").relay(relay);
    pipeline.settings.env("POSTROOM_RATE_LIMIT", Integer.toString(RATE));
    pipeline.startDispatcher();
    OutcomeWatcher outcomes = pipeline.watcher();

    pipeline.publish(jobs("bulk-", "newsletter", "bulk", BULK));
    long highPublished = System.nanoTime();
    pipeline.publish(jobs("high-", "alerts", "high", HIGH));

    Predicate<StatusEvent> high = e -> e.id().startsWith("high-");
    boolean highDone = Pipeline.eventually(HIGH_BOUND, () -> count(outcomes, high) == HIGH);
    Duration highTook = Duration.ofNanos(System.nanoTime() - highPublished);
    long bulkDone = count(outcomes, high.negate());
    Matcher moved = MOVED_TO_LANE.matcher(pipeline.metrics());
    System.out.printf("fairness: %d high jobs ended %.1f s after publishing, when %d of %d bulk jobs had; "
            + "%s jobs parked on lane topics%n", count(outcomes, high), highTook.toMillis() / 1000.0, bulkDone, BULK,
        moved.find() ? moved.group(1) : "no");
    assertThat(highDone).as("all %d high jobs ended within %s", HIGH, HIGH_BOUND).isTrue();
    assertThat(bulkDone).as("bulk jobs done when the high ones were").isLessThan(BULK_DONE_AT_MOST);

    OutcomeWatcher all = pipeline.awaitFinished(BULK + HIGH, Duration.ofMinutes(6));
    assertThat(all.terminalCounts()).containsExactly(Map.entry(State.SENT, BULK + HIGH));
    assertThat(all.terminalById()).hasSize(BULK + HIGH).allSatisfy((id, events) -> assertThat(events).hasSize(1));
    assertThat(relay.count()).isEqualTo(BULK + HIGH);
    assertThat(relay.distinctMessageIds()).hasSize(BULK + HIGH);
  }
}
