package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Jobs;
import io.postroom.contract.State;
import io.postroom.contract.kafka.HeaderNames;
import io.postroom.dispatcher.kafka.Journey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import io.vertx.ext.mail.SMTPException;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ConnectException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the relay's answer to an attempt leads to, through the processor, on in-memory Kafka writes. */
@ExtendWith(VertxExtension.class)
class DeliveryTest {
  private static final Function<MailMessage, Future<MailResult>> BUSY = message -> Future.failedFuture(
      new SMTPException("recipient address not accepted", 450, List.of("450 4.2.0 mailbox busy"), true));
  private static final Function<MailMessage, Future<MailResult>> UNKNOWN = message -> Future.failedFuture(
      new SMTPException("recipient address not accepted", 550, List.of("550 5.1.1 no such user"), true));
  private static final Function<MailMessage, Future<MailResult>> DOWN = message -> Future.failedFuture(
      new ConnectException("Connection refused"));

  /** Runs {@code test} on the event loop with a pipeline whose relay answers {@code answers} in turn. */
  @SafeVarargs
  private static void relayAnswers(Vertx vertx, java.util.function.Consumer<Pipeline> test,
      Function<MailMessage, Future<MailResult>>... answers) {
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10);
      pipeline.relayAnswers.addAll(List.of(answers));
      test.accept(pipeline);
    });
  }

  @Test
  void aMessageTheRelayTookIsSentInOneAttempt(Vertx vertx, VertxTestContext test) {
    relayAnswers(vertx, pipeline -> pipeline.process(Pipeline.record(Jobs.minimal(), 7))
        .onComplete(test.succeeding(processed -> test.verify(() -> {
          assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(State.SENT);
            assertThat(event.attempt()).isEqualTo(1);
            assertThat(event.relay()).isEqualTo("primary");
          });
          assertThat(pipeline.kafka.copies).isEmpty();
          test.completeNow();
        }))), Pipeline::accept);
  }

  @Test
  void a4xxIsReportedRetryingAndTheJobIsCopiedToARetryTier(Vertx vertx, VertxTestContext test) {
    relayAnswers(vertx, pipeline -> pipeline.process(Pipeline.record(Jobs.minimal(), 7))
        .onComplete(test.succeeding(processed -> test.verify(() -> {
          assertThat(processed).isEqualTo(Processed.DURABLE);
          assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(State.RETRYING);
            assertThat(event.smtpCode()).isEqualTo(450);
          });
          assertThat(pipeline.kafka.copies).singleElement().satisfies(copy -> {
            assertThat(copy.topic()).isEqualTo("mail.jobs.retry.10s");
            assertThat(copy.header(HeaderNames.ATTEMPTS)).isEqualTo("1");
            assertThat(copy.header(HeaderNames.ORIGIN)).isEqualTo("mail.jobs/0/7");
          });
          assertThat(pipeline.sent.contains("order-4711-confirmation")).isFalse();
          test.completeNow();
        }))), BUSY);
  }

  @Test
  void a4xxOnTheLastAttemptFailsTheJobAndDeadLettersIt(Vertx vertx, VertxTestContext test) {
    relayAnswers(vertx, pipeline -> pipeline.process(new io.postroom.dispatcher.kafka.SourceRecord("mail.jobs.retry.10s",
            0, 4, "order-4711-confirmation", io.vertx.core.buffer.Buffer.buffer(Jobs.minimal().encode()),
            new Journey(new io.postroom.dispatcher.kafka.RecordPosition(Pipeline.JOBS, 0, 7), Pipeline.NOW.toEpochMilli(), 2, null, null, "billing")))
        .onComplete(test.succeeding(processed -> test.verify(() -> {
          assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(State.FAILED);
            assertThat(event.errorCode()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED);
            assertThat(event.attempt()).isEqualTo(3);
          });
          assertThat(pipeline.kafka.deadLetters).singleElement()
              .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED));
          assertThat(pipeline.kafka.copies).isEmpty();
          test.completeNow();
        }))), BUSY);
  }

  @Test
  void a5xxFailsTheJobAtOnceWithoutADeadLetter(Vertx vertx, VertxTestContext test) {
    relayAnswers(vertx, pipeline -> pipeline.process(Pipeline.record(Jobs.minimal(), 7))
        .onComplete(test.succeeding(processed -> test.verify(() -> {
          assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(State.FAILED);
            assertThat(event.smtpCode()).isEqualTo(550);
            assertThat(event.errorCode()).isEqualTo(ErrorCode.RELAY_REJECTED);
          });
          assertThat(pipeline.kafka.deadLetters).isEmpty();
          assertThat(pipeline.kafka.copies).isEmpty();
          test.completeNow();
        }))), UNKNOWN);
  }

  @Test
  void aJobWaitsWhileTheRelayIsDownUsesNoAttemptAndIsSentWhenItIsBack(Vertx vertx, VertxTestContext test) {
    relayAnswers(vertx, pipeline -> {
      Future<Processed> processing = pipeline.process(Pipeline.record(Jobs.minimal(), 7));
      test.verify(() -> {
        // the relay could not be reached: the circuit is open and the job waits in memory, unreported
        assertThat(pipeline.relayed).hasSize(1);
        assertThat(processing.isComplete()).isFalse();
        assertThat(pipeline.kafka.statuses).isEmpty();
      });
      processing.onComplete(test.succeeding(processed -> test.verify(() -> {
        assertThat(pipeline.relayed).hasSize(2);
        assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
          assertThat(event.state()).isEqualTo(State.SENT);
          assertThat(event.attempt()).isEqualTo(1);
        });
        test.completeNow();
      })));
    }, DOWN, Pipeline::accept);
  }
}
