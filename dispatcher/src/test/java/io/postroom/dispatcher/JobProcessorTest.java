package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Jobs;
import io.postroom.contract.Priority;
import io.postroom.contract.State;
import io.postroom.contract.kafka.HeaderNames;
import io.postroom.dispatcher.kafka.Journey;
import io.postroom.dispatcher.kafka.RecordPosition;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.lanes.Lane;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One record from reading to its one durable outcome: validate, dedupe, due?, lane room?, delivery.
 * On in-memory Kafka writes and a relay that takes every message ({@link Pipeline}).
 */
@ExtendWith(VertxExtension.class)
class JobProcessorTest {
  private static final String ID = "order-4711-confirmation";

  private static RecordPosition position(long offset) {
    return new RecordPosition(Pipeline.JOBS, 0, offset);
  }

  /** Runs {@code test} on the event loop with a pipeline whose lanes hold {@code laneCapacity} jobs. */
  private static void on(Vertx vertx, int laneCapacity, Consumer<Pipeline> test) {
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, laneCapacity);
      pipeline.relayAnswers.add(Pipeline::accept);
      test.accept(pipeline);
    });
  }

  /** Checks what became of a record once it is processed, then completes the test. */
  private static Handler<AsyncResult<Processed>> whenProcessed(VertxTestContext test, Consumer<Processed> check) {
    return test.succeeding(processed -> test.verify(() -> {
      check.accept(processed);
      test.completeNow();
    }));
  }

  @Test
  void aValidJobIsSentAndReportedSentOnce(Vertx vertx, VertxTestContext test) {
    on(vertx, 10, pipeline -> pipeline.process(Pipeline.record(Jobs.minimal(), 7))
        .onComplete(whenProcessed(test, processed -> {
          assertThat(processed).isEqualTo(Processed.DURABLE);
          assertThat(pipeline.relayed).hasSize(1);
          assertThat(pipeline.kafka.states()).containsExactly(State.SENT);
          assertThat(pipeline.kafka.deadLetters).isEmpty();
          assertThat(pipeline.sent.contains(ID)).isTrue();
          assertThat(pipeline.reported.contains(position(7))).isTrue();
        })));
  }

  @Test
  void anInvalidJobIsRejectedAndDeadLettered(Vertx vertx, VertxTestContext test) {
    JsonObject noSubject = Jobs.minimal();
    noSubject.remove("subject");
    on(vertx, 10, pipeline -> pipeline.process(Pipeline.record(noSubject, 7))
        .onComplete(whenProcessed(test, processed -> {
          assertThat(processed).isEqualTo(Processed.DURABLE);
          assertThat(pipeline.relayed).isEmpty();
          assertThat(pipeline.kafka.states()).containsExactly(State.REJECTED);
          assertThat(pipeline.kafka.deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.jobId()).isEqualTo(ID);
            assertThat(letter.code()).isEqualTo(ErrorCode.MISSING_FIELD);
          });
        })));
  }

  @Test
  void aRecordThatIsNotJsonIsDeadLetteredWithoutAStatusEvent(Vertx vertx, VertxTestContext test) {
    on(vertx, 10, pipeline -> pipeline.process(Pipeline.record("not json", 7))
        .onComplete(whenProcessed(test, processed -> {
          assertThat(pipeline.kafka.statuses).isEmpty();
          assertThat(pipeline.kafka.deadLetters).singleElement()
              .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.INVALID_JSON));
        })));
  }

  @Test
  void anIdSentBeforeByAnotherRecordIsAnsweredDuplicateAndNotSent(Vertx vertx, VertxTestContext test) {
    on(vertx, 10, pipeline -> {
      pipeline.sent.remember(ID, position(3));
      pipeline.process(Pipeline.record(Jobs.minimal(), 7)).onComplete(whenProcessed(test, processed -> {
        assertThat(pipeline.relayed).isEmpty();
        assertThat(pipeline.kafka.states()).containsExactly(State.DUPLICATE);
      }));
    });
  }

  @Test
  void aRecordWhoseOutcomeWasReportedIsSkippedWithoutAnotherEvent(Vertx vertx, VertxTestContext test) {
    on(vertx, 10, pipeline -> {
      pipeline.reported.add(position(7));
      pipeline.process(Pipeline.record(Jobs.minimal(), 7)).onComplete(whenProcessed(test, processed -> {
        assertThat(processed).isEqualTo(Processed.DURABLE);
        assertThat(pipeline.relayed).isEmpty();
        assertThat(pipeline.kafka.statuses).isEmpty();
      }));
    });
  }

  @Test
  void aJobNotDueYetIsCopiedToTheRetryTierThatFitsItsWaitWithoutAnEvent(Vertx vertx, VertxTestContext test) {
    JsonObject later = Jobs.minimal().put("notBefore", Pipeline.NOW.plusSeconds(3600).toString());
    on(vertx, 10, pipeline -> pipeline.process(Pipeline.record(later, 7))
        .onComplete(whenProcessed(test, processed -> {
          assertThat(processed).isEqualTo(Processed.DURABLE);
          assertThat(pipeline.relayed).isEmpty();
          assertThat(pipeline.kafka.statuses).isEmpty();
          assertThat(pipeline.kafka.copies).singleElement().satisfies(copy -> {
            assertThat(copy.topic()).isEqualTo("mail.jobs.retry.1m");
            assertThat(copy.partition()).isZero();
            assertThat(copy.key()).isEqualTo(ID);
            assertThat(copy.header(HeaderNames.DUE)).isEqualTo(Pipeline.NOW.plusSeconds(3600).toString());
            assertThat(copy.header(HeaderNames.ORIGIN)).isEqualTo("mail.jobs/0/7");
          });
        })));
  }

  @Test
  void anExpiredJobIsReportedExpiredAndDeadLetteredUnsent(Vertx vertx, VertxTestContext test) {
    JsonObject expired = Jobs.minimal().put("expiresAt", Pipeline.NOW.minusSeconds(1).toString());
    on(vertx, 10, pipeline -> pipeline.process(Pipeline.record(expired, 7))
        .onComplete(whenProcessed(test, processed -> {
          assertThat(pipeline.relayed).isEmpty();
          assertThat(pipeline.kafka.states()).containsExactly(State.EXPIRED);
          assertThat(pipeline.kafka.deadLetters).singleElement()
              .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.EXPIRED));
        })));
  }

  @Test
  void aJobWhoseLaneIsFullIsParkedOnItsLaneTopicKeyedByTenant(Vertx vertx, VertxTestContext test) {
    on(vertx, 1, pipeline -> {
      pipeline.lanes.enter(new Lane(Priority.NORMAL, "billing"));
      pipeline.process(Pipeline.record(Jobs.minimal(), 7)).onComplete(whenProcessed(test, processed -> {
        assertThat(pipeline.relayed).isEmpty();
        assertThat(pipeline.kafka.statuses).isEmpty();
        assertThat(pipeline.kafka.copies).singleElement().satisfies(copy -> {
          assertThat(copy.topic()).isEqualTo("mail.jobs.lanes.normal");
          assertThat(copy.key()).isEqualTo("billing");
          assertThat(copy.header(HeaderNames.TENANT)).isEqualTo("billing");
        });
      }));
    });
  }

  @Test
  void aLaneTopicsRecordIsSentEvenWhenItsLaneFilledMeanwhile(Vertx vertx, VertxTestContext test) {
    on(vertx, 1, pipeline -> {
      pipeline.lanes.enter(new Lane(Priority.NORMAL, "billing"));
      SourceRecord parked = new SourceRecord("mail.jobs.lanes.normal", 0, 2, "billing",
          io.vertx.core.buffer.Buffer.buffer(Jobs.minimal().encode()),
          new Journey(position(7), Pipeline.NOW.toEpochMilli(), 0, null, null, "billing"));
      pipeline.process(parked).onComplete(whenProcessed(test, processed -> {
        assertThat(pipeline.relayed).hasSize(1);
        assertThat(pipeline.kafka.states()).containsExactly(State.SENT);
        assertThat(pipeline.reported.contains(position(7))).isTrue();
      }));
    });
  }

  @Test
  void aJobWhosePartitionWasHandedOverIsNeitherSentNorReported(Vertx vertx, VertxTestContext test) {
    on(vertx, 10, pipeline -> pipeline.processor.process(Pipeline.record(Jobs.minimal(), 7), () -> false)
        .onComplete(whenProcessed(test, processed -> {
          assertThat(processed).isEqualTo(Processed.HANDED_OVER);
          assertThat(pipeline.relayed).isEmpty();
          assertThat(pipeline.kafka.statuses).isEmpty();
          assertThat(pipeline.kafka.deadLetters).isEmpty();
          assertThat(pipeline.lanes.jobs(new Lane(Priority.NORMAL, "billing"))).isZero();
        })));
  }

  @Test
  void aRepeatArrivingWhileTheFirstIsSentWaitsForItAndIsAnsweredDuplicate(Vertx vertx, VertxTestContext test) {
    on(vertx, 10, pipeline -> {
      pipeline.process(Pipeline.record(Jobs.minimal(), 7));
      pipeline.process(Pipeline.record(Jobs.minimal(), 8)).onComplete(whenProcessed(test, processed -> {
        assertThat(pipeline.relayed).hasSize(1);
        assertThat(pipeline.kafka.states()).containsExactly(State.SENT, State.DUPLICATE);
      }));
    });
  }
}
