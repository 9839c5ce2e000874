package io.postroom.dispatcher;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lets the dispatcher instances of one process join the consumer group together. Each prepares
 * (producers, the status topic read) at its own pace; an instance that subscribed alone was given
 * every partition, took jobs, and lost most of them again a moment later when the next one joined:
 * a rebalance, jobs handed over unsent, and its partitions read again by their new owners. Each
 * instance is released on its own context. If one fails to prepare, the others are released with
 * its failure, so that no start waits forever.
 */
final class StartLine {
  private final int instances;
  private final List<Release> waiting = new ArrayList<>();
  private final Set<Context> assignedOnce = new HashSet<>();
  private final List<Release> awaitingAssignment = new ArrayList<>();
  private Throwable failure;

  private record Release(Context context, Promise<Void> promise) {
  }

  StartLine(int instances) {
    this.instances = instances;
  }

  /** Completes, on {@code context}, once every instance has arrived (or one has failed). */
  Future<Void> arrive(Context context) {
    Promise<Void> promise = Promise.promise();
    List<Release> released;
    synchronized (this) {
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      waiting.add(new Release(context, promise));
      released = waiting.size() == instances ? List.copyOf(waiting) : List.of();
    }
    released.forEach(release -> release.context().runOnContext(v -> release.promise().complete()));
    return promise.future();
  }

  /**
   * An instance was assigned partitions (the set may be empty). Completes, on {@code context}, once
   * every instance of the process has been assigned at least once. Until then the group is still
   * forming: an instance that joined first holds every partition only until the next one joins,
   * and the rebalance that follows would hand over whatever it had taken and send it twice. Its
   * partitions wait instead; later assignments pass at once.
   */
  Future<Void> assigned(Context context) {
    Promise<Void> promise = Promise.promise();
    List<Release> released;
    synchronized (this) {
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      assignedOnce.add(context);
      awaitingAssignment.add(new Release(context, promise));
      if (assignedOnce.size() >= instances) {
        released = List.copyOf(awaitingAssignment);
        awaitingAssignment.clear();
      } else {
        released = List.of();
      }
    }
    released.forEach(release -> release.context().runOnContext(v -> release.promise().tryComplete()));
    return promise.future();
  }

  /** An instance could not get ready: whoever waits is released with {@code cause}. */
  void abandon(Throwable cause) {
    List<Release> released;
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = cause;
      released = new ArrayList<>(waiting);
      released.addAll(awaitingAssignment);
      waiting.clear();
      awaitingAssignment.clear();
    }
    released.forEach(release -> release.context().runOnContext(v -> release.promise().tryFail(cause)));
  }
}
