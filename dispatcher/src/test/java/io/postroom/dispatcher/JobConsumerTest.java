package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postroom.contract.Priority;
import io.postroom.contract.config.KafkaSection;
import io.postroom.dispatcher.config.DispatchConfig;
import io.postroom.dispatcher.config.RelayConfig;
import io.postroom.dispatcher.config.TlsMode;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.lanes.Lane;
import io.postroom.dispatcher.lanes.LaneOccupancy;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.postroom.dispatcher.relay.Relay;
import io.postroom.dispatcher.relay.RelayHealth;
import io.postroom.dispatcher.relay.RelayRouter;
import io.postroom.dispatcher.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.client.common.TopicPartition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job consumer's own wiring, on a consumer in memory ({@link InMemoryGroupConsumer}) and a
 * processor whose jobs finish when the test says ({@link HeldProcessor}): what a poll's records go
 * through, when partitions are paused and resumed, what is committed. The pure parts have tests of
 * their own ({@link io.postroom.dispatcher.flow.FlowControl}, {@link io.postroom.dispatcher.flow.PartitionGates},
 * {@link io.postroom.dispatcher.kafka.OffsetTracker}, {@link Admission}).
 */
@ExtendWith(VertxExtension.class)
class JobConsumerTest {
  private static final String JOBS = Pipeline.JOBS;
  private static final TopicPartition P0 = new TopicPartition(JOBS, 0);
  private static final TopicPartition P1 = new TopicPartition(JOBS, 1);
  private static final int MAX_IN_FLIGHT = 4;
  private static final int LANE_CAPACITY = 2;
  private static final Duration COMMIT_INTERVAL = Duration.ofMillis(10);
  /** Long enough for several commits: what has not been committed by then is not going to be. */
  private static final long SEVERAL_COMMITS_MS = 20 * COMMIT_INTERVAL.toMillis();

  private final InMemoryGroupConsumer kafka = new InMemoryGroupConsumer();
  private final HeldProcessor processor = new HeldProcessor();
  private final LaneOccupancy lanes = new LaneOccupancy(LANE_CAPACITY);
  /** What the read of the status topic answers, for each assignment in turn; read at once unless set. */
  private Future<Void> statusRead = Future.succeededFuture();
  private Vertx vertx;
  private Context loop;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    this.vertx = vertx;
    loop = vertx.getOrCreateContext();
    loop.runOnContext(v -> consumer(vertx).start().onComplete(test.succeedingThenComplete()));
  }

  @Test
  void eachRecordOfAPollIsProcessedInItsPartitionsOrder(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0, P1);
      kafka.poll(job(P0, 0), job(P1, 0), job(P0, 1), job(P1, 1), job(P0, 2));
      assertThat(processor.offsets(P0)).containsExactly(0L, 1L, 2L);
      assertThat(processor.offsets(P1)).containsExactly(0L, 1L);
    });
  }

  @Test
  void aNewlyAssignedPartitionsRecordsWaitForTheStatusRead(VertxTestContext test) {
    Promise<Void> read = Promise.promise();
    statusRead = read.future();
    onLoop(test, () -> {
      kafka.assign(P0);
      kafka.poll(job(P0, 0), job(P0, 1));
      kafka.poll(job(P0, 2));
      assertThat(processor.offsets(P0)).as("before the status topic was read").isEmpty();
      read.complete();
      assertThat(processor.offsets(P0)).as("once it was read, in order").containsExactly(0L, 1L, 2L);
    });
  }

  @Test
  void aNewlyAssignedPartitionIsPausedUntilTheStatusRead(VertxTestContext test) {
    Promise<Void> read = Promise.promise();
    statusRead = read.future();
    onLoop(test, () -> {
      kafka.assign(P0);
      assertThat(kafka.paused).containsExactly(P0);
      read.complete();
      assertThat(kafka.paused).isEmpty();
    });
  }

  @Test
  void theAssignedPartitionsArePausedWhenTheInFlightBoundIsReached(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0, P1);
      kafka.poll(job(P0, 0), job(P0, 1), job(P1, 0));
      assertThat(kafka.paused).as("below the bound").isEmpty();
      kafka.poll(job(P1, 1));
      assertThat(kafka.paused).as("at the bound").containsExactlyInAnyOrder(P0, P1);
    });
  }

  @Test
  void pausedPartitionsResumeOnceThreeQuartersOfTheBoundAreLeftInFlight(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0, P1);
      kafka.poll(job(P0, 0), job(P0, 1), job(P1, 0), job(P1, 1));
      assertThat(kafka.paused).as("at the bound").isNotEmpty();
      processor.finish(P0, 0, Processed.DURABLE);
      assertThat(kafka.paused).as("3 of 4 in flight").isEmpty();
    });
  }

  @Test
  void aRetryTiersRecordIsHeldUntilItsWakeTime(VertxTestContext test) {
    Duration delay = Duration.ofSeconds(10);
    TopicPartition tier = new TopicPartition(Pipeline.TIERS.topic(delay), 0);
    // written to the 10 s tier 9.8 s ago: it wakes in 200 ms
    long writtenAt = System.currentTimeMillis() - delay.toMillis() + 200;
    onLoop(test, () -> {
      kafka.assign(tier);
      kafka.poll(record(tier, 0, writtenAt), record(tier, 1, writtenAt));
      assertThat(processor.offsets(tier)).as("before its wake time").isEmpty();
      assertThat(kafka.paused).as("the tier's partition waits").containsExactly(tier);
      whenTrue(test, () -> processor.offsets(tier).size() == 2, test::completeNow);
    }, false);
  }

  @Test
  void aLaneTopicsRecordIsHeldWhileItsLaneIsFull(VertxTestContext test) {
    TopicPartition laneTopic = new TopicPartition(Pipeline.LANE_TOPICS.topic(Priority.NORMAL), 0);
    Lane lane = new Lane(Priority.NORMAL, "");
    onLoop(test, () -> {
      for (int i = 0; i < LANE_CAPACITY; i++) {
        lanes.enter(lane);
      }
      kafka.assign(laneTopic);
      kafka.poll(record(laneTopic, 0, System.currentTimeMillis()));
      assertThat(processor.offsets(laneTopic)).as("while the lane is full").isEmpty();
      lanes.leave(lane);
      assertThat(processor.offsets(laneTopic)).as("once it has room").containsExactly(0L);
    });
  }

  @Test
  void aRecordIsCommittedOnlyOnceItsOutcomeIsDurable(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0);
      kafka.poll(job(P0, 0));
      vertx.setTimer(SEVERAL_COMMITS_MS, id -> test.verify(() -> {
        assertThat(kafka.committed(P0)).as("unfinished").isLessThanOrEqualTo(0);
        processor.finish(P0, 0, Processed.DURABLE);
        whenTrue(test, () -> kafka.committed(P0) == 1, test::completeNow);
      }));
    }, false);
  }

  @Test
  void aPartitionIsCommittedUpToItsLowestUnfinishedRecord(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0);
      kafka.poll(job(P0, 0), job(P0, 1), job(P0, 2), job(P0, 3));
      processor.finish(P0, 0, Processed.DURABLE);
      processor.finish(P0, 2, Processed.DURABLE);
      processor.finish(P0, 3, Processed.DURABLE);
      afterSeveralCommits(test, () -> assertThat(kafka.committed(P0)).as("1 is unfinished").isEqualTo(1));
    }, false);
  }

  @Test
  void aRecordWhoseOutcomeIsNotDurableIsNotCommitted(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0);
      kafka.poll(job(P0, 0), job(P0, 1));
      processor.fail(P0, 0);
      processor.finish(P0, 1, Processed.DURABLE);
      afterSeveralCommits(test, () -> assertThat(kafka.committed(P0)).isLessThanOrEqualTo(0));
    }, false);
  }

  @Test
  void aJobHandedOverIsNotCommitted(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0);
      kafka.poll(job(P0, 0));
      processor.finish(P0, 0, Processed.HANDED_OVER);
      afterSeveralCommits(test, () -> assertThat(kafka.committed(P0)).isLessThanOrEqualTo(0));
    }, false);
  }

  @Test
  void aRevokedPartitionsJobsInFlightAreToldItIsNoLongerOwned(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0, P1);
      kafka.poll(job(P0, 0), job(P1, 0));
      kafka.revoke(P0);
      assertThat(processor.owned(P0, 0).stillOwned()).as("revoked").isFalse();
      assertThat(processor.owned(P1, 0).stillOwned()).as("still assigned").isTrue();
    });
  }

  @Test
  void theCommitOnRevokeLeavesOutTheJobsStillInFlight(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0);
      kafka.poll(job(P0, 0), job(P0, 1));
      processor.finish(P0, 0, Processed.DURABLE);
      kafka.revoke(P0);
      assertThat(kafka.committed(P0)).as("committed on revoke").isEqualTo(1);
      processor.finish(P0, 1, Processed.DURABLE);
      afterSeveralCommits(test, () ->
          assertThat(kafka.committed(P0)).as("finished after the revoke: its next reader's").isEqualTo(1));
    }, false);
  }

  @Test
  void recordsOfARevokedPartitionLeftInAPollAreNotProcessed(VertxTestContext test) {
    onLoop(test, () -> {
      kafka.assign(P0, P1);
      kafka.revoke(P0);
      kafka.poll(job(P0, 0), job(P1, 0));
      assertThat(processor.offsets(P0)).isEmpty();
      assertThat(processor.offsets(P1)).containsExactly(0L);
    });
  }

  private JobConsumer consumer(Vertx vertx) {
    DispatchConfig dispatch = new DispatchConfig(MAX_IN_FLIGHT, 3, Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ofSeconds(1), COMMIT_INTERVAL, Duration.ofSeconds(1), 100,
        List.of(Duration.ofSeconds(10)), LANE_CAPACITY, 1);
    KafkaSection config = KafkaSection.read(new JsonObject().put("kafka", new JsonObject()
        .put("topics", new JsonObject().put("jobs", JOBS))), Map.of()).forProcess("postroom");
    RelayConfig relayConfig = new RelayConfig("primary", "localhost", 2525, TlsMode.STARTTLS, null, null, null, 1,
        1_000_000, 100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null, null);
    Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(40), 2.0);
    Relay relay = new Relay(vertx, relayConfig, new RelayHealth(vertx, "primary", backoff, () -> { }),
        message -> Future.failedFuture("not sending in this test"));
    return new JobConsumer(vertx, kafka::made, config, dispatch, processor, new RelayRouter(List.of(relay), t -> 1),
        new DispatcherMetrics(new SimpleMeterRegistry(), List.of("primary")), (mine, all) -> { }, Pipeline.TIERS,
        Pipeline.LANE_TOPICS, lanes, new Admission(lanes, Clock.systemUTC()), () -> statusRead, Clock.systemUTC());
  }

  private static ConsumerRecord<String, Buffer> job(TopicPartition partition, long offset) {
    return new ConsumerRecord<>(partition.getTopic(), partition.getPartition(), offset, "job-" + offset,
        Buffer.buffer("{}"));
  }

  /** A record written at {@code timestamp}, with no journey headers. */
  private static ConsumerRecord<String, Buffer> record(TopicPartition partition, long offset, long timestamp) {
    return new ConsumerRecord<>(partition.getTopic(), partition.getPartition(), offset, timestamp,
        TimestampType.CREATE_TIME, -1, -1, "job-" + offset, Buffer.buffer("{}"), new RecordHeaders(),
        Optional.empty());
  }

  /** Runs {@code body} on the consumer's event loop, and completes the test after it. */
  private void onLoop(VertxTestContext test, VertxTestContext.ExecutionBlock body) {
    onLoop(test, body, true);
  }

  private void onLoop(VertxTestContext test, VertxTestContext.ExecutionBlock body, boolean complete) {
    loop.runOnContext(v -> test.verify(() -> {
      body.apply();
      if (complete) {
        test.completeNow();
      }
    }));
  }

  /** Runs {@code check} once several commits could have happened, then completes the test. */
  private void afterSeveralCommits(VertxTestContext test, VertxTestContext.ExecutionBlock check) {
    vertx.setTimer(SEVERAL_COMMITS_MS, id -> test.verify(() -> {
      check.apply();
      test.completeNow();
    }));
  }

  /** Runs {@code then} once {@code condition} holds (asked every commit interval; the test's timeout bounds it). */
  private void whenTrue(VertxTestContext test, BooleanSupplier condition, Runnable then) {
    vertx.setPeriodic(COMMIT_INTERVAL.toMillis(), id -> test.verify(() -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        then.run();
      }
    }));
  }

  /** Takes every record and finishes its job when the test says. */
  private static final class HeldProcessor implements RecordProcessor {
    private record Taken(SourceRecord record, Delivery.Ownership owned, Promise<Processed> outcome) {
    }

    private final List<Taken> taken = new ArrayList<>();

    @Override
    public Future<Processed> process(SourceRecord record, Delivery.Ownership owned) {
      Promise<Processed> outcome = Promise.promise();
      taken.add(new Taken(record, owned, outcome));
      return outcome.future();
    }

    @Override
    public int moving() {
      return 0;
    }

    List<Long> offsets(TopicPartition partition) {
      return taken.stream().map(Taken::record).filter(r -> r.topicPartition().equals(partition))
          .map(SourceRecord::offset).toList();
    }

    Delivery.Ownership owned(TopicPartition partition, long offset) {
      return find(partition, offset).owned();
    }

    void finish(TopicPartition partition, long offset, Processed processed) {
      find(partition, offset).outcome().complete(processed);
    }

    void fail(TopicPartition partition, long offset) {
      find(partition, offset).outcome().fail("not durable: Kafka did not take the status event");
    }

    private Taken find(TopicPartition partition, long offset) {
      return taken.stream().filter(t -> t.record().topicPartition().equals(partition) && t.record().offset() == offset)
          .findFirst().orElseThrow(() -> new AssertionError("not processed: " + partition + " offset " + offset));
    }
  }
}
