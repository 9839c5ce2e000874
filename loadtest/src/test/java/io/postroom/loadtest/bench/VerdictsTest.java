package io.postroom.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictsTest {

  private static Verdicts.Target target(List<Verdicts.Target> targets, String startOfName) {
    return targets.stream().filter(t -> t.what().startsWith(startOfName)).findFirst().orElseThrow();
  }

  private static List<Verdicts.Target> judge(Verdicts.Medians warm, Verdicts.Medians cold, long lanes) {
    return Verdicts.of(Map.of(BenchReport.WARM, warm, BenchReport.COLD, cold,
        BenchReport.RAW, new Verdicts.Medians(1000, 400, 2),
        BenchReport.CEILING, new Verdicts.Medians(900, 420, 3)), false, false, lanes);
  }

  @Test
  void aDispatcherAtTheRawClientsPaceAboveTheCeilingMeetsEveryTarget() {
    List<Verdicts.Target> targets = judge(new Verdicts.Medians(960, 450, 2), new Verdicts.Medians(800, 500, 5), 0);

    assertThat(targets.stream().filter(t -> !t.reported())).allMatch(Verdicts.Target::met);
    assertThat(target(targets, "warm dispatcher vs warm raw").line())
        .contains("0.96×", "goal ≥ 0.95×", "met");
    assertThat(target(targets, "  gap to the ceiling, CPU").measured()).isEqualTo("+30 µs/msg");
    assertThat(target(targets, "  gap to the ceiling, throughput").measured()).isEqualTo("+60 msg/s");
  }

  @Test
  void eachTargetMissedIsSaidSo() {
    List<Verdicts.Target> targets = judge(new Verdicts.Medians(500, 800, 2), new Verdicts.Medians(600, 900, -1), 12);

    assertThat(target(targets, "warm dispatcher vs warm raw").line()).contains("0.50×", "MISSED");
    assertThat(target(targets, "warm dispatcher vs Kafka ceiling").met()).isFalse();
    assertThat(target(targets, "dispatcher CPU/msg").line()).contains("2.00×", "goal ≤ 1.15×", "MISSED");
    assertThat(target(targets, "cold dispatcher (first").line()).contains("0.60×", "MISSED");
    assertThat(target(targets, "cold dispatcher time to steady").line()).contains("never", "MISSED");
    assertThat(target(targets, "jobs parked on lane").line()).contains("12", "MISSED");
  }

  @Test
  void oneHundredKilobyteMessagesHaveTheLowerGoal() {
    List<Verdicts.Target> targets = Verdicts.of(Map.of(BenchReport.WARM, new Verdicts.Medians(92, 400, 1),
        BenchReport.RAW, new Verdicts.Medians(100, 400, 1)), false, true, 0);

    assertThat(target(targets, "warm dispatcher vs warm raw").line()).contains("(100 KB)", "goal ≥ 0.90×", "met");
  }

  @Test
  void reportedRatiosHaveNoVerdict() {
    List<Verdicts.Target> targets = Verdicts.of(Map.of(BenchReport.WARM, new Verdicts.Medians(1000, 400, 1),
        BenchReport.PER_MESSAGE, new Verdicts.Medians(100, 9000, 1)), false, false, 0);

    Verdicts.Target perMessage = target(targets, "warm dispatcher vs Jakarta, connection per message");
    assertThat(perMessage.reported()).isTrue();
    assertThat(perMessage.line()).contains("10.00×", "(reported)").doesNotContain("met", "MISSED");
  }

  @Test
  void bulkRecipientsAreJudgedAgainstTheSingleJobsOfTheSameRun() {
    List<Verdicts.Target> targets = Verdicts.of(Map.of(BenchReport.WARM, new Verdicts.Medians(1000, 400, 1),
        BenchReport.COLD, new Verdicts.Medians(900, 450, 2), BenchReport.BULK_WARM, new Verdicts.Medians(970, 420, 1),
        BenchReport.BULK_COLD, new Verdicts.Medians(600, 700, 2)), false, false, 0);

    assertThat(target(targets, "bulk recipients vs single jobs, warm").line()).contains("0.97×", "goal ≥ 0.95×", "met");
    assertThat(target(targets, "bulk recipients vs single jobs, cold").line()).contains("0.67×", "MISSED");
    assertThat(target(targets, "  bulk vs single, warm, CPU").measured()).isEqualTo("420 vs 400 µs/msg");
  }

  @Test
  void expansionIsJudgedWhileExpandingAgainstFiftyThousandRecipientsASecond() {
    List<Verdicts.Target> targets = Verdicts.expansion(62_000, 3_500);

    assertThat(targets.get(0).line()).contains("62,000/s", "≥ 50,000/s", "met");
    assertThat(targets.get(1).reported()).isTrue();
    assertThat(targets.get(1).measured()).isEqualTo("3,500/s");
    assertThat(Verdicts.expansion(31_000, 31_000).get(0).met()).isFalse();
  }
}
