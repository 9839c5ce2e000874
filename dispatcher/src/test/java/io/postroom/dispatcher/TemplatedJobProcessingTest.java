package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Jobs;
import io.postroom.contract.State;
import io.postroom.contract.template.TemplateVersion;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Jobs that carry a template instead of subject and body (inline, or a registered version of their
 * tenant's), and recipient jobs of a bulk send.
 */
@ExtendWith(VertxExtension.class)
class TemplatedJobProcessingTest {

  /** Processes one record on the event loop, with a relay that takes every message, then checks the pipeline. */
  private static void process(Vertx vertx, VertxTestContext test, JsonObject job, Consumer<Pipeline> verify) {
    process(vertx, test, job, List.of(), verify);
  }

  /** The same, with these template versions registered first. */
  private static void process(Vertx vertx, VertxTestContext test, JsonObject job, List<TemplateVersion> registered,
      Consumer<Pipeline> verify) {
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10);
      registered.forEach(version -> pipeline.templates.apply(version.key(), version.toJson().toBuffer().getBytes()));
      pipeline.relayAnswers.add(Pipeline::accept);
      pipeline.process(Pipeline.record(job, 7)).onComplete(test.succeeding(processed -> test.verify(() -> {
        verify.accept(pipeline);
        test.completeNow();
      })));
    });
  }

  private static JsonObject templated() {
    JsonObject job = Jobs.minimal().put("vars", new JsonObject().put("name", "Asha"));
    job.remove("subject");
    job.remove("text");
    return job;
  }

  private static JsonObject bulkRecipient() {
    return Jobs.minimal().put("id", "statement-2026-12/c-1001").put("bulkId", "statement-2026-12").put("key", "c-1001");
  }

  private static TemplateVersion statement(String tenant) {
    return new TemplateVersion(tenant, "statement", 3, "Statement for {{name}}", "Dear {{name}}", null,
        Pipeline.NOW);
  }

  @Test
  void aTemplateRefJobIsRenderedWithItsTenantsRegisteredVersion(Vertx vertx, VertxTestContext test) {
    JsonObject job = templated().put("templateRef", new JsonObject().put("name", "statement").put("version", 3));
    process(vertx, test, job, List.of(statement("billing")), pipeline -> {
      assertThat(pipeline.relayed).singleElement().satisfies(mail -> {
        assertThat(mail.getSubject()).isEqualTo("Statement for Asha");
        assertThat(mail.getText()).isEqualTo("Dear Asha");
      });
      assertThat(pipeline.kafka.states()).containsExactly(State.SENT);
    });
  }

  @Test
  void anotherTenantsTemplateOfTheSameNameIsNotUsed(Vertx vertx, VertxTestContext test) {
    JsonObject job = templated().put("templateRef", new JsonObject().put("name", "statement").put("version", 3));
    process(vertx, test, job, List.of(statement("alerts")), pipeline -> {
      assertThat(pipeline.relayed).isEmpty();
      assertThat(pipeline.kafka.deadLetters).singleElement()
          .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.TEMPLATE_NOT_FOUND));
    });
  }

  @Test
  void aTemplateRefJobIsRejectedNotSentWithoutABody(Vertx vertx, VertxTestContext test) {
    JsonObject job = templated().put("templateRef", new JsonObject().put("name", "statement").put("version", 3));
    process(vertx, test, job, pipeline -> {
      assertThat(pipeline.relayed).isEmpty();
      assertThat(pipeline.kafka.states()).containsExactly(State.REJECTED);
      assertThat(pipeline.kafka.deadLetters).singleElement()
          .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.TEMPLATE_NOT_FOUND));
    });
  }

  @Test
  void anInlineTemplateJobIsSentRendered(Vertx vertx, VertxTestContext test) {
    JsonObject job = templated().put("template", new JsonObject().put("subject", "Hi {{name}}").put("text", "x"));
    process(vertx, test, job, pipeline -> {
      assertThat(pipeline.relayed).singleElement().satisfies(mail -> assertThat(mail.getSubject()).isEqualTo("Hi Asha"));
      assertThat(pipeline.kafka.states()).containsExactly(State.SENT);
    });
  }

  @Test
  void aBulkRecipientsSentEventCarriesBulkIdAndKey(Vertx vertx, VertxTestContext test) {
    process(vertx, test, bulkRecipient(), pipeline -> assertThat(pipeline.kafka.statuses).singleElement()
        .satisfies(event -> {
          assertThat(event.state()).isEqualTo(State.SENT);
          assertThat(event.bulkId()).isEqualTo("statement-2026-12");
          assertThat(event.key()).isEqualTo("c-1001");
        }));
  }

  @Test
  void aBulkRecipientsRejectedEventCarriesBulkIdAndKey(Vertx vertx, VertxTestContext test) {
    JsonObject noBody = bulkRecipient();
    noBody.remove("text");
    process(vertx, test, noBody, pipeline -> assertThat(pipeline.kafka.statuses).singleElement()
        .satisfies(event -> {
          assertThat(event.state()).isEqualTo(State.REJECTED);
          assertThat(event.bulkId()).isEqualTo("statement-2026-12");
          assertThat(event.key()).isEqualTo("c-1001");
        }));
  }
}
