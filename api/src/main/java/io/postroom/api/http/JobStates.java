package io.postroom.api.http;

import io.postroom.contract.Job;
import io.postroom.contract.State;
import io.postroom.api.status.JobStatusStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the api knows of jobs, for the event loop: the {@link JobStatusStore} (read on a worker
 * thread, it is disk) plus the ids this replica accepted in the last moments, whose ACCEPTED event
 * the store may not have read back yet; so a job posted twice in quick succession is still
 * published once.
 */
final class JobStates {
  private static final int RECENT = 10_000;

  private final Vertx vertx;
  private final JobStatusStore store;
  private final Map<String, JsonObject> recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > RECENT;
    }
  });

  JobStates(Vertx vertx, JobStatusStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** The known jobs among {@code ids}: id → {@code {"tenant", "state", ...}}. */
  Future<Map<String, JsonObject>> known(List<String> ids) {
    return vertx.executeBlocking(() -> {
      Map<String, JsonObject> found = new HashMap<>();
      for (String id : ids) {
        Optional<JsonObject> stored = store.get(id);
        JsonObject recentlyAccepted = recent.get(id);
        if (stored.isPresent()) {
          found.put(id, stored.get());
        } else if (recentlyAccepted != null) {
          found.put(id, recentlyAccepted);
        }
      }
      return found;
    }, false);
  }

  /** This replica just published the job. */
  void accepted(Job job) {
    recent.put(job.id(), new JsonObject().put("id", job.id()).put("tenant", job.tenant())
        .put("state", State.ACCEPTED.name()));
  }

  Future<Optional<JsonObject>> get(String id) {
    return vertx.executeBlocking(() -> store.get(id), false);
  }

  Future<List<JobStatusStore.Entry>> list(String tenant, State state, int limit, String after) {
    return vertx.executeBlocking(() -> store.list(tenant, state, limit, after), false);
  }
}
