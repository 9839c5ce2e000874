package io.postroom.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.Jobs;
import io.postroom.contract.State;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Jobs that carry a template instead of subject and body, and jobs of a bulk send (issue 15), until
 * the template registry and the bulk expansion exist.
 */
@ExtendWith(VertxExtension.class)
class TemplatedJobProcessingTest {

  private static JsonObject templated() {
    JsonObject job = Jobs.minimal().put("vars", new JsonObject().put("name", "Asha"));
    job.remove("subject");
    job.remove("text");
    return job;
  }

  @Test
  void aTemplateRefJobIsRejectedNotSentWithoutABody(Vertx vertx, VertxTestContext test) {
    JsonObject job = templated().put("templateRef", new JsonObject().put("name", "statement").put("version", 3));
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10);
      pipeline.relayAnswers.add(Pipeline::accept);
      pipeline.process(Pipeline.record(job, 7)).onComplete(test.succeeding(processed -> test.verify(() -> {
        assertThat(pipeline.relayed).isEmpty();
        assertThat(pipeline.kafka.states()).containsExactly(State.REJECTED);
        assertThat(pipeline.kafka.deadLetters).singleElement()
            .satisfies(letter -> assertThat(letter.code()).isEqualTo(ErrorCode.TEMPLATE_NOT_FOUND));
        test.completeNow();
      })));
    });
  }

  @Test
  void anInlineTemplateJobIsSentRendered(Vertx vertx, VertxTestContext test) {
    JsonObject job = templated().put("template", new JsonObject().put("subject", "Hi {{name}}").put("text", "x"));
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10);
      pipeline.relayAnswers.add(Pipeline::accept);
      pipeline.process(Pipeline.record(job, 7)).onComplete(test.succeeding(processed -> test.verify(() -> {
        assertThat(pipeline.relayed).hasSize(1);
        assertThat(pipeline.kafka.states()).containsExactly(State.SENT);
        test.completeNow();
      })));
    });
  }

  private static JsonObject bulkRecipient() {
    return Jobs.minimal().put("id", "statement-2026-12/c-1001").put("bulkId", "statement-2026-12").put("key", "c-1001");
  }

  @Test
  void aBulkRecipientsSentEventCarriesBulkIdAndKey(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10);
      pipeline.relayAnswers.add(Pipeline::accept);
      pipeline.process(Pipeline.record(bulkRecipient(), 7)).onComplete(test.succeeding(processed -> test.verify(() -> {
        assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
          assertThat(event.state()).isEqualTo(State.SENT);
          assertThat(event.bulkId()).isEqualTo("statement-2026-12");
          assertThat(event.key()).isEqualTo("c-1001");
        });
        test.completeNow();
      })));
    });
  }

  @Test
  void aBulkRecipientsRejectedEventCarriesBulkIdAndKey(Vertx vertx, VertxTestContext test) {
    JsonObject noBody = bulkRecipient();
    noBody.remove("text");
    vertx.runOnContext(v -> {
      Pipeline pipeline = new Pipeline(vertx, 10);
      pipeline.process(Pipeline.record(noBody, 7)).onComplete(test.succeeding(processed -> test.verify(() -> {
        assertThat(pipeline.kafka.statuses).singleElement().satisfies(event -> {
          assertThat(event.state()).isEqualTo(State.REJECTED);
          assertThat(event.bulkId()).isEqualTo("statement-2026-12");
          assertThat(event.key()).isEqualTo("c-1001");
        });
        test.completeNow();
      })));
    });
  }
}
