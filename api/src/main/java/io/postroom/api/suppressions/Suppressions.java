package io.postroom.api.suppressions;

import io.postroom.contract.compliance.Suppression;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The suppression list for the event loop: reads from the {@link SuppressionStore} on a worker
 * thread (it is disk), writes to the {@link SuppressionLog}, and remembers the keys this replica
 * wrote in the last moments, which the store may not have read back yet, so that a one-click
 * repeated at once is still written once.
 */
public final class Suppressions {
  private static final int RECENT = 10_000;
  private static final long READ_BACK_SECONDS = 5;

  /** Where a written record is read back: the api's {@link SuppressionView}, or a test's. */
  @FunctionalInterface
  public interface ReadBack {
    Future<Void> applied(int partition, long offset);
  }

  private final Vertx vertx;
  private final SuppressionStore store;
  private final SuppressionLog log;
  private final ReadBack readBack;
  private final Map<String, Suppression> recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Suppression> eldest) {
      return size() > RECENT;
    }
  });

  public Suppressions(Vertx vertx, SuppressionStore store, SuppressionLog log, ReadBack readBack) {
    this.vertx = vertx;
    this.store = store;
    this.log = log;
    this.readBack = readBack;
  }

  /** The suppression that stops mail of {@code stream} to the address (its own, or the tenant-wide one). */
  public Future<Optional<Suppression>> covering(String tenant, String stream, String address) {
    String key = Suppression.key(tenant, stream, address);
    String anyKey = Suppression.key(tenant, Suppression.ANY_STREAM, address);
    Suppression written = recent.containsKey(key) ? recent.get(key) : recent.get(anyKey);
    if (written != null) {
      return Future.succeededFuture(Optional.of(written));
    }
    return vertx.executeBlocking(() -> store.covering(tenant, stream, address), false);
  }

  /** The suppression under exactly this key, if the view holds it. */
  public Future<Optional<Suppression>> get(String tenant, String stream, String address) {
    return vertx.executeBlocking(() -> store.get(tenant, stream, address), false);
  }

  public Future<SuppressionStore.Page> list(String tenant, SuppressionStore.Filter filter, String after, int limit,
      int maxScanned) {
    return vertx.executeBlocking(() -> store.list(tenant, filter, after, limit, maxScanned), false);
  }

  /**
   * Writes the suppression unless the address is already suppressed for its stream (or for all of
   * the tenant's mail): the first time is kept. True if it was written.
   */
  public Future<Boolean> suppressOnce(Suppression suppression) {
    return covering(suppression.tenant(), suppression.stream(), suppression.address())
        .compose(existing -> existing.isPresent() ? Future.succeededFuture(false)
            : put(suppression).map(written -> true));
  }

  /** Writes the suppression (durably); the future holds where. */
  public Future<SuppressionLog.Written> put(Suppression suppression) {
    return log.put(suppression).andThen(written -> {
      if (written.succeeded()) {
        recent.put(suppression.key(), suppression);
      }
    });
  }

  /** Lifts the suppression under the key (a tombstone). */
  public Future<SuppressionLog.Written> lift(String key) {
    return log.lift(key).andThen(written -> {
      if (written.succeeded()) {
        recent.remove(key);
      }
    });
  }

  /** Completes once the view has read the record back, or after a few seconds whatever happened. */
  public Future<Void> readBack(SuppressionLog.Written written) {
    return readBack.applied(written.partition(), written.offset()).timeout(READ_BACK_SECONDS, TimeUnit.SECONDS)
        .otherwiseEmpty().mapEmpty();
  }
}
