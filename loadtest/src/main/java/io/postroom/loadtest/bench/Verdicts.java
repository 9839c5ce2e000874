package io.postroom.loadtest.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The targets of issue 12 (and of issue 15's bulk sends: recipients at the single jobs' rate, expansion
 * at 50,000 recipients/s), judged on the medians of the repetitions: the warm dispatcher against
 * the warm raw client (≥ 0.95×; ≥ 0.9× with 100 KB messages) and the Kafka ceiling (≥ 1.0×), its CPU
 * per message (≤ 1.15× the raw client's), the cold dispatcher (≥ 0.7× the warm raw client, steady
 * within 10 s), and no job parked on a lane topic. Gaps and the Jakarta ratios are reported.
 */
final class Verdicts {
  private Verdicts() {
  }

  /** One sender's medians over its repetitions; NaN where not measured, secondsToSteady -1 for never. */
  record Medians(double messagesPerSecond, double cpuMicrosPerMessage, double secondsToSteady) {
  }

  /** A target and how it came out; {@code reported} ones have no goal to meet. */
  record Target(String what, String measured, String goal, boolean met, boolean reported, double value) {
    String line() {
      return String.format(Locale.ROOT, "%-58s %18s  goal %-9s %s", what, measured, goal,
          reported ? "" : met ? "met" : "MISSED");
    }
  }

  /**
   * Issue 15: a bulk send's recipients go out as fast as single jobs; "the same rate" is read as the
   * noise of one shared machine allows, within 5 %.
   */
  static final double SAME_RATE = 0.95;

  static List<Target> of(Map<String, Medians> medians, boolean postfix, boolean large, long jobsMovedToLanes) {
    List<Target> targets = new ArrayList<>();
    Medians warm = medians.get(BenchReport.WARM);
    Medians cold = medians.get(BenchReport.COLD);
    Medians raw = medians.get(BenchReport.RAW);
    Medians ceiling = medians.get(BenchReport.CEILING);
    if (warm != null && raw != null) {
      double goal = large ? 0.90 : 0.95;
      String where = postfix ? " (into Postfix)" : large ? " (100 KB)" : "";
      targets.add(ratio("warm dispatcher vs warm raw vertx" + where, warm.messagesPerSecond() / raw.messagesPerSecond(),
          goal, true));
      targets.add(ratio("dispatcher CPU/msg vs raw vertx's", warm.cpuMicrosPerMessage() / raw.cpuMicrosPerMessage(),
          1.15, false));
    }
    if (warm != null && ceiling != null) {
      targets.add(ratio("warm dispatcher vs Kafka ceiling", warm.messagesPerSecond() / ceiling.messagesPerSecond(),
          1.0, true));
      targets.add(reported("  gap to the ceiling, CPU per message",
          String.format(Locale.ROOT, "%+.0f µs/msg", warm.cpuMicrosPerMessage() - ceiling.cpuMicrosPerMessage()),
          warm.cpuMicrosPerMessage() - ceiling.cpuMicrosPerMessage()));
      targets.add(reported("  gap to the ceiling, throughput",
          String.format(Locale.ROOT, "%+.0f msg/s", warm.messagesPerSecond() - ceiling.messagesPerSecond()),
          warm.messagesPerSecond() - ceiling.messagesPerSecond()));
    }
    if (cold != null && raw != null) {
      targets.add(ratio("cold dispatcher (first job to last) vs warm raw vertx",
          cold.messagesPerSecond() / raw.messagesPerSecond(), 0.7, true));
    }
    if (cold != null) {
      double steady = cold.secondsToSteady();
      boolean met = steady >= 0 && steady <= 10;
      targets.add(new Target("cold dispatcher time to steady", steady < 0 ? "never" : String.format(Locale.ROOT,
          "%.0f s", steady), "≤ 10 s", met, false, steady));
    }
    if (warm != null) {
      targets.add(new Target("jobs parked on lane topics (all dispatcher runs)", Long.toString(jobsMovedToLanes),
          "0", jobsMovedToLanes == 0, false, jobsMovedToLanes));
    }
    Medians jakarta = medians.get(BenchReport.JAKARTA);
    Medians perMessage = medians.get(BenchReport.PER_MESSAGE);
    if (warm != null && jakarta != null) {
      targets.add(reportedRatio("warm dispatcher vs Jakarta, pooled", warm.messagesPerSecond() / jakarta.messagesPerSecond()));
    }
    if (warm != null && perMessage != null) {
      targets.add(reportedRatio("warm dispatcher vs Jakarta, connection per message",
          warm.messagesPerSecond() / perMessage.messagesPerSecond()));
    }
    Medians bulkWarm = medians.get(BenchReport.BULK_WARM);
    Medians bulkCold = medians.get(BenchReport.BULK_COLD);
    if (warm != null && bulkWarm != null) {
      targets.add(ratio("bulk recipients vs single jobs, warm dispatcher, msg/s",
          bulkWarm.messagesPerSecond() / warm.messagesPerSecond(), SAME_RATE, true));
      targets.add(reported("  bulk vs single, warm, CPU per message", String.format(Locale.ROOT, "%.0f vs %.0f µs/msg",
          bulkWarm.cpuMicrosPerMessage(), warm.cpuMicrosPerMessage()),
          bulkWarm.cpuMicrosPerMessage() / warm.cpuMicrosPerMessage()));
    }
    if (cold != null && bulkCold != null) {
      targets.add(ratio("bulk recipients vs single jobs, cold dispatcher, msg/s",
          bulkCold.messagesPerSecond() / cold.messagesPerSecond(), SAME_RATE, true));
      targets.add(reported("  bulk vs single, cold, CPU per message", String.format(Locale.ROOT, "%.0f vs %.0f µs/msg",
          bulkCold.cpuMicrosPerMessage(), cold.cpuMicrosPerMessage()),
          bulkCold.cpuMicrosPerMessage() / cold.cpuMicrosPerMessage()));
    }
    Medians three = medians.get(BenchReport.WARM_X3);
    if (warm != null && three != null) {
      targets.add(reportedRatio("3 dispatchers vs 1, warm (same 2 cores)", three.messagesPerSecond() / warm.messagesPerSecond()));
    }
    return targets;
  }

  /**
   * Issue 15: a dispatcher expands at least this many recipients per second (written to the
   * recipients topic), so that expansion is never what a bulk send waits for.
   */
  static final double EXPANSION_PER_SECOND = 50_000;

  /**
   * The expansion rate's target, judged on the rate while the dispatcher expanded ({@link ExpansionTimeline});
   * the rate from the first recipient's job to the last, pauses included, is reported beside it.
   */
  static List<Target> expansion(double whileExpanding, double firstToLast) {
    return List.of(new Target("bulk expansion while expanding, recipients/s per dispatcher",
            String.format(Locale.ROOT, "%,.0f/s", whileExpanding), String.format(Locale.ROOT, "≥ %,.0f/s",
            EXPANSION_PER_SECOND), whileExpanding >= EXPANSION_PER_SECOND, false, whileExpanding),
        reported("  bulk expansion first to last recipient, pauses included", String.format(Locale.ROOT, "%,.0f/s",
            firstToLast), firstToLast));
  }

  /** {@code atLeast}: the ratio must reach the goal; otherwise stay at or below it. */
  private static Target ratio(String what, double ratio, double goal, boolean atLeast) {
    boolean met = atLeast ? ratio >= goal : ratio <= goal;
    return new Target(what, String.format(Locale.ROOT, "%.2f×", ratio),
        String.format(Locale.ROOT, "%s %.2f×", atLeast ? "≥" : "≤", goal), met, false, ratio);
  }

  private static Target reportedRatio(String what, double ratio) {
    return reported(what, String.format(Locale.ROOT, "%.2f×", ratio), ratio);
  }

  private static Target reported(String what, String measured, double value) {
    return new Target(what, measured, "(reported)", true, true, value);
  }
}
