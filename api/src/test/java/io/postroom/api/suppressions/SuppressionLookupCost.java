package io.postroom.api.suppressions;

import io.postroom.contract.compliance.Suppression;
import io.postroom.contract.compliance.SuppressionReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A measurement, not a test (it asserts nothing and is run by hand): the cost of a lookup in the
 * api's {@link SuppressionStore} holding N suppressions (default 10,000,000) of 10 tenants, loaded
 * through {@link SuppressionStore#apply} as the view loads the topic.
 *
 * <pre>
 * mvn -o -q -pl api test-compile
 * java -cp "api/target/test-classes:api/target/classes:$(cat api/target/classpath.txt)" \
 *     io.postroom.api.suppressions.SuppressionLookupCost /tmp/suppressions-10m 10000000
 * </pre>
 * (api/target/classpath.txt is written by {@code mvn -pl contract,api package -DskipTests}.)
 */
public final class SuppressionLookupCost {
  private SuppressionLookupCost() {
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/suppressions-cost");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000_000;
    Instant at = Instant.parse("2026-12-02T10:00:00Z");
    try (SuppressionStore store = new SuppressionStore(dir)) {
      long start = System.nanoTime();
      long applying = 0;
      List<SuppressionStore.Record> batch = new ArrayList<>(10_000);
      for (int i = 0; i < n; i++) {
        Suppression s = new Suppression("tenant" + (i % 10), address(i), i % 3 == 0 ? "*" : "stream" + (i % 3),
            SuppressionReason.UNSUBSCRIBED, at, "one-click");
        batch.add(new SuppressionStore.Record(s.key(), s.toJson().encode().getBytes(StandardCharsets.UTF_8)));
        if (batch.size() == 10_000) {
          long t = System.nanoTime();
          store.apply(batch);
          applying += System.nanoTime() - t;
          batch.clear();
        }
      }
      store.apply(batch);
      double load = (System.nanoTime() - start) / 1e9;
      System.out.printf("SuppressionStore.apply took %.1f s of it (%,.0f records/s)%n", applying / 1e9,
          n / (applying / 1e9));
      start = System.nanoTime();
      store.compact();
      double compact = (System.nanoTime() - start) / 1e9;
      System.out.printf("loaded %,d suppressions in %.1f s (%,.0f/s), compacted in %.1f s, %,d MB on disk%n", n, load,
          n / load, compact, size(dir) >> 20);
      SplittableRandom random = new SplittableRandom(7);
      for (int round = 0; round < 3; round++) {
        int lookups = 1_000_000;
        int found = 0;
        start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
          int k = random.nextInt(n);
          // half present (their own tenant and stream), half absent (another address)
          String address = i % 2 == 0 ? address(k) : "absent" + k + "@example.org";
          if (store.covering("tenant" + (k % 10), k % 3 == 0 ? "stream1" : "stream" + (k % 3), address).isPresent()) {
            found++;
          }
        }
        double micros = (System.nanoTime() - start) / 1e3 / lookups;
        System.out.printf("round %d: %,d lookups (covering: stream, then *), %,d found, %.2f us each%n", round,
            lookups, found, micros);
      }
      start = System.nanoTime();
      int pages = 1000;
      for (int i = 0; i < pages; i++) {
        store.list("tenant" + (i % 10), SuppressionStore.Filter.NONE, null, 100, 100_000);
      }
      System.out.printf("a first page of 100 of a tenant's list: %.2f ms%n", (System.nanoTime() - start) / 1e6 / pages);
    }
  }

  private static String address(int i) {
    return "citizen" + i + "@example" + (i % 100) + ".org";
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
