package io.postroom.loadtest.bench;

import io.postroom.contract.Job;
import io.postroom.contract.JobJsonBuilder;
import io.postroom.contract.JobValidator;
import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import io.postroom.contract.kafka.TopicFollower;
import io.postroom.dispatcher.compliance.SuppressionList;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench --suppressions N}: what the dispatcher's check of a job against the suppression list
 * costs with N suppressed addresses. The list is filled the way the dispatcher fills it (records of
 * {@code mail.suppressions} applied in batches to its RocksDB store), then jobs of one recipient are
 * checked on this thread, as the event loop checks them: half of them to suppressed addresses, half
 * to addresses that are not (the common case, which the bloom filter answers). No broker, no relay.
 */
final class SuppressionLookups {
  private static final int BATCH = 10_000;
  private static final int LOOKUPS = 1_000_000;
  private static final Instant AT = Instant.parse("2026-12-02T00:00:00Z");

  private SuppressionLookups() {
  }

  static void run(int suppressed, Path dir, PrintStream out) throws InterruptedException {
    JobValidator validator = new JobValidator(JobValidator.DEFAULT_MAX_MESSAGE_BYTES);
    try (SuppressionList list = SuppressionList.open(dir)) {
      long loadStart = System.nanoTime();
      long applying = 0;
      List<TopicFollower.Entry> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < suppressed; i++) {
        Suppression s = new Suppression("tenant-" + (i % 10), address(i), null, SuppressionReason.HARD_BOUNCE, AT,
            "bench");
        batch.add(new TopicFollower.Entry("mail.suppressions", 0, i, s.key(),
            s.toJson().encode().getBytes(StandardCharsets.UTF_8)));
        if (batch.size() == BATCH) {
          applying += apply(list, batch);
        }
      }
      applying += apply(list, batch);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      out.printf(Locale.ROOT, "suppression list: %,d addresses loaded in %.1f s, of which %.1f s applying them as the"
          + " dispatcher's reader does (%,.0f records/s; the rest is the bench making the records)%n", suppressed,
          loadSeconds, applying / 1e9, suppressed / (applying / 1e9));
      SplittableRandom random = new SplittableRandom(42);
      List<Job> hits = new ArrayList<>();
      List<Job> misses = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int n = random.nextInt(suppressed);
        hits.add(job(validator, "tenant-" + (n % 10), address(n)));
        misses.add(job(validator, "tenant-" + (n % 10), "absent-" + n + "@example.org"));
      }
      // warm up the JIT and the block cache with the same mix as measured
      measure(list, hits, misses, LOOKUPS / 10);
      long[] found = new long[1];
      double nanos = measure(list, hits, misses, LOOKUPS, found);
      out.printf(Locale.ROOT, "suppression check: %.2f µs per job of one recipient (%,d checks, half suppressed,"
          + " %,d found)%n", nanos / 1000, LOOKUPS, found[0]);
      double missNanos = measure(list, List.of(), misses, LOOKUPS, new long[1]);
      double hitNanos = measure(list, hits, List.of(), LOOKUPS, new long[1]);
      out.printf(Locale.ROOT, "  not suppressed: %.2f µs, suppressed: %.2f µs%n", missNanos / 1000, hitNanos / 1000);
    }
  }

  /** Applies and empties the batch; the nanoseconds it took. */
  private static long apply(SuppressionList list, List<TopicFollower.Entry> batch) {
    long start = System.nanoTime();
    list.applyAll(batch);
    batch.clear();
    return System.nanoTime() - start;
  }

  private static double measure(SuppressionList list, List<Job> hits, List<Job> misses, int count) {
    return measure(list, hits, misses, count, new long[1]);
  }

  /** Nanoseconds per check. */
  private static double measure(SuppressionList list, List<Job> hits, List<Job> misses, int count, long[] found) {
    List<Job> all = new ArrayList<>(hits);
    all.addAll(misses);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      found[0] += list.of(all.get(i % all.size())).size();
    }
    return (System.nanoTime() - start) / (double) count;
  }

  private static Job job(JobValidator validator, String tenant, String to) {
    return validator.validate(new JobJsonBuilder().id("bench-" + to).tenant(tenant).from("noreply@example.gov.in")
        .to(to).subject("s").text("t").toJson()).job();
  }

  private static String address(int i) {
    return "citizen-" + Integer.toString(i, 36) + "@example.org";
  }
}
