package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postroom.contract.ErrorCode;
import io.postroom.contract.State;
import io.postroom.contract.StatusEvent;
import io.postroom.contract.bulk.BulkControl;
import io.postroom.contract.kafka.HeaderNames;
import io.postroom.dispatcher.bulk.BulkExpander;
import io.postroom.dispatcher.kafka.JobForwarder;
import io.postroom.dispatcher.kafka.Journey;
import io.postroom.dispatcher.kafka.RecordPosition;
import io.postroom.dispatcher.kafka.SourceRecord;
import io.postroom.dispatcher.ops.DispatcherMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bulk record of the jobs topic becomes one job per recipient on the recipients topic, and each
 * of those goes through the pipeline as an ordinary job; a bulk record expanded again (a crash
 * before its offset was committed) sends nobody twice and reports nothing twice.
 */
@ExtendWith(VertxExtension.class)
class BulkExpansionTest {
  private static final String RECIPIENTS = "mail.jobs.recipients";
  private static final String BULK_ID = "pension-statement-2026-12";

  /** The pipeline, the expander writing to the same in-memory Kafka, and the offsets of the recipients topic. */
  private static final class Bulk {
    final Pipeline pipeline;
    final BulkExpander expander;
    final DispatcherMetrics metrics = new DispatcherMetrics(new SimpleMeterRegistry(), List.of("primary"));
    private long nextOffset;

    Bulk(Vertx vertx, JobForwarder forwarder, int window) {
      pipeline = new Pipeline(vertx, 100);
      pipeline.relayAnswers.add(Pipeline::accept);
      expander = new BulkExpander(forwarder == null ? pipeline.kafka : forwarder, pipeline.kafka, pipeline.reported,
          pipeline.controls, RECIPIENTS, window, metrics, Clock.fixed(Pipeline.NOW, ZoneOffset.UTC));
    }

    /** Expands the record, then reads every recipient job written since the last call, one after the other. */
    Future<Void> expandAndSend(SourceRecord bulkRecord) {
      int before = pipeline.kafka.copies.size();
      return expander.expand(bulkRecord).compose(v -> {
        Future<Void> sending = Future.succeededFuture();
        for (InMemoryKafka.Copy copy : new ArrayList<>(pipeline.kafka.copies.subList(before,
            pipeline.kafka.copies.size()))) {
          SourceRecord read = asRead(copy, nextOffset++);
          sending = sending.compose(ignored -> pipeline.process(read)).mapEmpty();
        }
        return sending;
      });
    }

    List<String> subjects() {
      return pipeline.relayed.stream().map(MailMessage::getSubject).toList();
    }

    List<StatusEvent> events(State state) {
      return pipeline.kafka.statuses.stream().filter(e -> e.state() == state).toList();
    }
  }

  private static SourceRecord asRead(InMemoryKafka.Copy copy, long offset) {
    RecordPosition here = new RecordPosition(copy.topic(), copy.partition(), offset);
    return new SourceRecord(copy.topic(), copy.partition(), offset, copy.key(), copy.value(),
        Journey.fromHeaders(copy.headers(), here, 0));
  }

  /** A retry tier's record as the consumer hands it over: once it is due (the test's clock stands still). */
  private static SourceRecord whenDue(SourceRecord read) {
    Journey journey = read.journey();
    return new SourceRecord(read.topic(), read.partition(), read.offset(), read.key(), read.value(),
        journey.waitingUntil(null, journey.attempts(), journey.progress()));
  }

  private static JsonObject recipient(String key, String to, String name) {
    return new JsonObject().put("key", key).put("to", to).put("vars", new JsonObject().put("name", name));
  }

  private static JsonObject bulk(JsonObject... recipients) {
    return new JsonObject()
        .put("kind", "bulk")
        .put("id", BULK_ID)
        .put("tenant", "pensions")
        .put("from", "Pensions <noreply@example.gov.in>")
        .put("template", new JsonObject().put("subject", "Your statement, {{name}}")
            .put("text", "Dear {{name}}, here it is.").put("html", "<p>Dear {{name}}</p>"))
        .put("priority", "bulk")
        .put("recipients", new JsonArray(List.of((Object[]) recipients)));
  }

  private static JsonObject asha() {
    return recipient("c-1001", "asha@example.org", "Asha");
  }

  private static JsonObject ravi() {
    return recipient("c-1002", "ravi@example.org", "Ravi");
  }

  /** On the event loop: a bulk with the given recipients, expanded at offset 7 of the jobs topic and sent; then the check. */
  private static void expandAndSend(Vertx vertx, VertxTestContext test, JsonObject bulk, Consumer<Bulk> verify) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      run.expandAndSend(Pipeline.record(bulk, 7)).onComplete(test.succeeding(done -> test.verify(() -> {
        verify.accept(run);
        test.completeNow();
      })));
    });
  }

  @Test
  void eachRecipientBecomesAJobOnTheRecipientsTopicUnderItsId(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(asha(), ravi()), run -> {
      assertThat(run.pipeline.kafka.copies).extracting(InMemoryKafka.Copy::topic).containsOnly(RECIPIENTS);
      assertThat(run.pipeline.kafka.copies).extracting(InMemoryKafka.Copy::key)
          .containsExactly(BULK_ID + "/c-1001", BULK_ID + "/c-1002");
      assertThat(run.pipeline.kafka.copies).extracting(c -> c.header(HeaderNames.ORIGIN))
          .containsExactly("mail.jobs/0/7/0", "mail.jobs/0/7/1");
      assertThat(run.pipeline.kafka.copies).extracting(c -> c.header(HeaderNames.TENANT)).containsOnly("pensions");
    });
  }

  @Test
  void aRecipientsJobGoesToThePartitionOfItsId(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(asha(), ravi()), run -> assertThat(run.pipeline.kafka.copies)
        .allSatisfy(copy -> assertThat(copy.partition()).isEqualTo(org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2(copy.key().getBytes(java.nio.charset.StandardCharsets.UTF_8))))));
  }

  @Test
  void eachRecipientIsSentWithItsOwnVariablesAndOneSentEvent(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(asha(), ravi()), run -> {
      assertThat(run.subjects()).containsExactly("Your statement, Asha", "Your statement, Ravi");
      assertThat(run.pipeline.relayed).extracting(MailMessage::getTo)
          .containsExactly(List.of("asha@example.org"), List.of("ravi@example.org"));
      assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state).containsExactly(State.SENT, State.SENT);
      assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::id)
          .containsExactly(BULK_ID + "/c-1001", BULK_ID + "/c-1002");
      assertThat(run.pipeline.kafka.statuses).allSatisfy(e -> assertThat(e.bulkId()).isEqualTo(BULK_ID));
      assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::key).containsExactly("c-1001", "c-1002");
    });
  }

  @Test
  void theHtmlPartEscapesAVariableAndTheTextPartDoesNot(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(recipient("c-1", "a@example.org", "<b>A&B</b> {{secret}}")), run ->
        assertThat(run.pipeline.relayed).singleElement().satisfies(mail -> {
          assertThat(mail.getText()).isEqualTo("Dear <b>A&B</b> {{secret}}, here it is.");
          assertThat(mail.getHtml()).isEqualTo("<p>Dear &lt;b&gt;A&amp;B&lt;/b&gt; {{secret}}</p>");
        }));
  }

  @Test
  void aMissingVariableRejectsOnlyThatRecipientNamingIt(Vertx vertx, VertxTestContext test) {
    JsonObject nameless = new JsonObject().put("key", "c-1003").put("to", "mo@example.org")
        .put("vars", new JsonObject().put("nickname", "Mo"));
    expandAndSend(vertx, test, bulk(asha(), nameless, ravi()), run -> {
      assertThat(run.subjects()).containsExactly("Your statement, Asha", "Your statement, Ravi");
      assertThat(run.events(State.REJECTED)).singleElement().satisfies(event -> {
        assertThat(event.id()).isEqualTo(BULK_ID + "/c-1003");
        assertThat(event.error()).contains("name");
      });
      assertThat(run.pipeline.kafka.deadLetters).singleElement()
          .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.RENDER_FAILED));
    });
  }

  @Test
  void aLineBreakInASubjectVariableRejectsOnlyThatRecipient(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(asha(), recipient("c-9", "x@example.org", "X\r\nBcc: victim@example.org")), run -> {
      assertThat(run.subjects()).containsExactly("Your statement, Asha");
      assertThat(run.events(State.REJECTED)).singleElement()
          .satisfies(event -> assertThat(event.id()).isEqualTo(BULK_ID + "/c-9"));
      assertThat(run.pipeline.kafka.deadLetters).singleElement()
          .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.HEADER_INJECTION));
    });
  }

  @Test
  void aBadAddressIsReportedForItsRecipientAndTheOthersGo(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(asha(), recipient("c-2", "not an address", "Bo"), ravi()), run -> {
      assertThat(run.pipeline.kafka.copies).hasSize(2);
      assertThat(run.subjects()).hasSize(2);
      assertThat(run.events(State.REJECTED)).singleElement()
          .satisfies(event -> assertThat(event.id()).isEqualTo(BULK_ID + "/c-2"));
      assertThat(run.pipeline.kafka.deadLetters).singleElement().satisfies(letter -> {
        assertThat(letter.code()).isEqualTo(ErrorCode.BAD_ADDRESS);
        assertThat(letter.source().coordinates()).isEqualTo(new RecordPosition("mail.jobs", 0, 7).recipient(1));
        assertThat(letter.reason()).contains("recipient 1", "c-2", BULK_ID);
      });
    });
  }

  @Test
  void aDuplicateKeyIsDeadLetteredWithoutAnEventThatWouldContradictTheFirst(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(asha(), recipient("c-1001", "other@example.org", "Other")), run -> {
      assertThat(run.subjects()).containsExactly("Your statement, Asha");
      assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state).containsExactly(State.SENT);
      assertThat(run.pipeline.kafka.deadLetters).singleElement().satisfies(letter -> {
        assertThat(letter.code()).isEqualTo(ErrorCode.DUPLICATE_KEY);
        assertThat(letter.jobId()).isNull();
      });
    });
  }

  @Test
  void anInvalidBulkRecordIsDeadLetteredWholeAndNothingIsWritten(Vertx vertx, VertxTestContext test) {
    JsonObject noTemplate = bulk(asha());
    noTemplate.remove("template");
    expandAndSend(vertx, test, noTemplate, run -> {
      assertThat(run.pipeline.kafka.copies).isEmpty();
      assertThat(run.pipeline.kafka.statuses).isEmpty();
      assertThat(run.pipeline.kafka.deadLetters).singleElement().satisfies(letter -> {
        assertThat(letter.reason()).contains(BULK_ID);
        assertThat(letter.source().value()).isNotNull();
      });
    });
  }

  @Test
  void aBulkRecordExpandedAgainSendsNobodyTwiceAndReportsNothingTwice(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      SourceRecord record = Pipeline.record(bulk(asha(), recipient("c-2", "bad", "Bo"), ravi()), 7);
      run.expandAndSend(record)
          .compose(first -> run.expandAndSend(record))
          .onComplete(test.succeeding(done -> test.verify(() -> {
            assertThat(run.subjects()).hasSize(2);
            assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state)
                .containsExactlyInAnyOrder(State.SENT, State.REJECTED, State.SENT);
            assertThat(run.pipeline.kafka.deadLetters).hasSize(1);
            test.completeNow();
          })));
    });
  }

  @Test
  void atMostTheWindowOfWritesIsUnansweredAtATime(Vertx vertx, VertxTestContext test) {
    List<Promise<Void>> unanswered = new ArrayList<>();
    JobForwarder slow = (topic, partition, key, value, headers) -> {
      Promise<Void> answer = Promise.promise();
      unanswered.add(answer);
      return answer.future();
    };
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, slow, 2);
      JsonObject[] five = new JsonObject[5];
      for (int i = 0; i < five.length; i++) {
        five[i] = recipient("k" + i, "r" + i + "@example.org", "R" + i);
      }
      Future<Void> expanded = run.expander.expand(Pipeline.record(bulk(five), 7));
      test.verify(() -> {
        assertThat(unanswered).hasSize(2);
        unanswered.get(0).complete();
        assertThat(unanswered).hasSize(3);
        assertThat(expanded.isComplete()).isFalse();
        unanswered.get(1).complete();
        unanswered.get(2).complete();
        unanswered.get(3).complete();
        assertThat(expanded.isComplete()).isFalse();
        unanswered.get(4).complete();
        assertThat(expanded.succeeded()).isTrue();
        test.completeNow();
      });
    });
  }

  @Test
  void recordsExpandedTogetherShareTheWindowAndTakeTurnsInTheOrderTheyCame(Vertx vertx, VertxTestContext test) {
    List<Promise<Void>> unanswered = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    JobForwarder slow = (topic, partition, key, value, headers) -> {
      Promise<Void> answer = Promise.promise();
      unanswered.add(answer);
      keys.add(key);
      return answer.future();
    };
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, slow, 2);
      Future<Void> first = run.expander.expand(Pipeline.record(bulk(asha(), ravi()), 7));
      Future<Void> second = run.expander.expand(Pipeline.record(bulk(recipient("c-2001", "meera@example.org", "Meera"),
          recipient("c-2002", "dev@example.org", "Dev")), 8));
      test.verify(() -> {
        assertThat(unanswered).hasSize(2);
        unanswered.get(0).complete();
        unanswered.get(1).complete();
        assertThat(first.succeeded()).isTrue();
        assertThat(unanswered).hasSize(4);
        assertThat(second.isComplete()).isFalse();
        unanswered.get(2).complete();
        unanswered.get(3).complete();
        assertThat(second.succeeded()).isTrue();
        assertThat(keys).containsExactly(BULK_ID + "/c-1001", BULK_ID + "/c-1002", BULK_ID + "/c-2001",
            BULK_ID + "/c-2002");
        test.completeNow();
      });
    });
  }

  @Test
  void aWriteKafkaRefusesFailsTheExpansionSoTheRecordIsReadAgain(Vertx vertx, VertxTestContext test) {
    JobForwarder refusing = (topic, partition, key, value, headers) -> Future.failedFuture("broker gone");
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, refusing, 10);
      run.expander.expand(Pipeline.record(bulk(asha(), ravi()), 7))
          .onComplete(test.failing(error -> test.verify(() -> {
            assertThat(error).hasMessageContaining("broker gone");
            test.completeNow();
          })));
    });
  }

  @Test
  void aBulkRecordIsExpandedAndAJobProcessedByTheConsumersProcessor(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 10);
      JobRecords records = new JobRecords(Pipeline.JOBS, run.pipeline.processor, run.expander);
      records.process(Pipeline.record(bulk(asha()), 7), () -> true)
          .compose(p -> records.process(Pipeline.record(io.postroom.contract.Jobs.minimal(), 8), () -> true))
          .onComplete(test.succeeding(p -> test.verify(() -> {
            assertThat(run.pipeline.kafka.copies).extracting(InMemoryKafka.Copy::key).containsExactly(BULK_ID + "/c-1001");
            assertThat(run.pipeline.relayed).extracting(MailMessage::getSubject).containsExactly("Your receipt");
            test.completeNow();
          })));
    });
  }

  private static byte[] control(BulkControl.Mode mode) {
    return new BulkControl("pensions", BULK_ID, mode, Pipeline.NOW).toJson().toBuffer().getBytes();
  }

  private static void controlled(Vertx vertx, VertxTestContext test, BulkControl.Mode mode, Consumer<Bulk> verify) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      run.pipeline.controls.apply("pensions/" + BULK_ID, control(mode));
      run.expandAndSend(Pipeline.record(bulk(asha(), ravi()), 7)).onComplete(test.succeeding(done -> test.verify(() -> {
        verify.accept(run);
        test.completeNow();
      })));
    });
  }

  @Test
  void aRecordOfASendCancelledBeforeItWasExpandedWritesNoJobsAndEachRecipientEndsCancelled(Vertx vertx,
      VertxTestContext test) {
    controlled(vertx, test, BulkControl.Mode.CANCELLED, run -> {
      assertThat(run.pipeline.kafka.copies).isEmpty();
      assertThat(run.pipeline.relayed).isEmpty();
      assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state)
          .containsExactly(State.CANCELLED, State.CANCELLED);
      assertThat(run.pipeline.kafka.statuses).allSatisfy(e -> assertThat(e.bulkId()).isEqualTo(BULK_ID));
      assertThat(run.pipeline.kafka.deadLetters).isEmpty();
    });
  }

  @Test
  void theRecipientJobsOfASendCancelledAfterItsExpansionEndCancelledAndNoneReachesTheRelay(Vertx vertx,
      VertxTestContext test) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      run.expander.expand(Pipeline.record(bulk(asha(), ravi()), 7))
          .compose(expanded -> {
            run.pipeline.controls.apply("pensions/" + BULK_ID, control(BulkControl.Mode.CANCELLED));
            return run.pipeline.process(asRead(run.pipeline.kafka.copies.get(0), 0))
                .compose(p -> run.pipeline.process(asRead(run.pipeline.kafka.copies.get(1), 1)));
          })
          .onComplete(test.succeeding(done -> test.verify(() -> {
            assertThat(run.pipeline.relayed).isEmpty();
            assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state)
                .containsExactly(State.CANCELLED, State.CANCELLED);
            assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::key).containsExactly("c-1001", "c-1002");
            test.completeNow();
          })));
    });
  }

  @Test
  void theRecipientsOfAPausedSendWaitOnTheShortestRetryTierWithoutAnEvent(Vertx vertx, VertxTestContext test) {
    controlled(vertx, test, BulkControl.Mode.PAUSED, run -> {
      assertThat(run.pipeline.relayed).isEmpty();
      assertThat(run.pipeline.kafka.statuses).isEmpty();
      List<InMemoryKafka.Copy> waiting = run.pipeline.kafka.copies.subList(2, 4);
      assertThat(waiting).extracting(InMemoryKafka.Copy::topic).containsOnly(Pipeline.TIERS.topics().get(0));
      assertThat(waiting).extracting(c -> c.header(HeaderNames.PAUSES)).containsOnly("1");
      assertThat(waiting).extracting(c -> c.header(HeaderNames.ORIGIN)).containsExactly("mail.jobs/0/7/0", "mail.jobs/0/7/1");
    });
  }

  @Test
  void aRecipientThatWaitedOutAPauseBeforeWaitsLongerTheNextTime(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      run.pipeline.controls.apply("pensions/" + BULK_ID, control(BulkControl.Mode.PAUSED));
      run.expandAndSend(Pipeline.record(bulk(asha()), 7))
          .compose(first -> run.pipeline.process(asRead(run.pipeline.kafka.copies.get(1), 100)))
          .onComplete(test.succeeding(done -> test.verify(() -> {
            InMemoryKafka.Copy again = run.pipeline.kafka.copies.get(2);
            assertThat(again.header(HeaderNames.PAUSES)).isEqualTo("2");
            assertThat(again.topic()).isEqualTo(Pipeline.TIERS.topics().get(1));
            test.completeNow();
          })));
    });
  }

  @Test
  void aResumedSendsWaitingRecipientIsSentWhenItComesBack(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      run.pipeline.controls.apply("pensions/" + BULK_ID, control(BulkControl.Mode.PAUSED));
      run.expandAndSend(Pipeline.record(bulk(asha()), 7))
          .compose(first -> {
            run.pipeline.controls.apply("pensions/" + BULK_ID, control(BulkControl.Mode.RUNNING));
            return run.pipeline.process(whenDue(asRead(run.pipeline.kafka.copies.get(1), 100)));
          })
          .onComplete(test.succeeding(done -> test.verify(() -> {
            assertThat(run.subjects()).containsExactly("Your statement, Asha");
            assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state).containsExactly(State.SENT);
            test.completeNow();
          })));
    });
  }

  @Test
  void anotherTenantsControlOfTheSameIdDoesNotTouchThisSend(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      run.pipeline.controls.apply("billing/" + BULK_ID, new BulkControl("billing", BULK_ID, BulkControl.Mode.CANCELLED,
          Pipeline.NOW).toJson().toBuffer().getBytes());
      run.expandAndSend(Pipeline.record(bulk(asha()), 7)).onComplete(test.succeeding(done -> test.verify(() -> {
        assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state).containsExactly(State.SENT);
        test.completeNow();
      })));
    });
  }

  @Test
  void theSendsMaxRateRidesOnEachRecipientJob(Vertx vertx, VertxTestContext test) {
    expandAndSend(vertx, test, bulk(asha()).put("maxRate", 200), run ->
        assertThat(run.pipeline.kafka.copies.get(0).header(HeaderNames.BULK_RATE)).isEqualTo("200.0"));
  }

  @Test
  void aScheduledSendsRecipientsWaitOnARetryTierUntilItsNotBefore(Vertx vertx, VertxTestContext test) {
    String notBefore = Pipeline.NOW.plusSeconds(3600).toString();
    expandAndSend(vertx, test, bulk(asha()).put("notBefore", notBefore), run -> {
      assertThat(run.pipeline.relayed).isEmpty();
      assertThat(run.pipeline.kafka.statuses).isEmpty();
      assertThat(run.pipeline.kafka.copies).hasSize(2);
      InMemoryKafka.Copy waiting = run.pipeline.kafka.copies.get(1);
      assertThat(waiting.topic()).startsWith(Pipeline.JOBS + ".retry");
      assertThat(waiting.header(HeaderNames.DUE)).isEqualTo(notBefore);
    });
  }

  @Test
  void aRecipientWaitingForItsTurnAtTheSendsRateWhenItIsCancelledEndsCancelledUnsent(Vertx vertx,
      VertxTestContext test) {
    vertx.runOnContext(v -> {
      Bulk run = new Bulk(vertx, null, 1000);
      // at 20/s the first recipient goes at once and the second waits 50 ms for its turn
      run.expander.expand(Pipeline.record(bulk(asha(), ravi()).put("maxRate", 20), 7))
          .onComplete(test.succeeding(expanded -> {
            Future<Processed> first = run.pipeline.process(asRead(run.pipeline.kafka.copies.get(0), 0));
            Future<Processed> second = run.pipeline.process(asRead(run.pipeline.kafka.copies.get(1), 1));
            // in the same turn of the event loop: before the second one's turn comes
            run.pipeline.controls.apply("pensions/" + BULK_ID, control(BulkControl.Mode.CANCELLED));
            Future.all(first, second).onComplete(test.succeeding(done -> test.verify(() -> {
              assertThat(run.subjects()).containsExactly("Your statement, Asha");
              assertThat(run.pipeline.kafka.statuses).extracting(StatusEvent::state)
                  .containsExactlyInAnyOrder(State.SENT, State.CANCELLED);
              assertThat(run.events(State.CANCELLED)).singleElement()
                  .satisfies(event -> assertThat(event.key()).isEqualTo("c-1002"));
              test.completeNow();
            })));
          }));
    });
  }
}
