package io.postroom.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The one builder of job JSON: the contract's field names and order, nothing it was not told. */
class JobJsonBuilderTest {

  @Test
  void aJobWithEveryFieldIsWhatTheValidatorAccepts() {
    Job job = Jobs.job(Jobs.full());

    assertThat(job.id()).isEqualTo("order-4711-confirmation");
    assertThat(job.priority()).isEqualTo(Priority.HIGH);
    assertThat(job.recipients()).hasSize(4);
    assertThat(job.attachments()).hasSize(1);
  }

  @Test
  void fieldsComeOutInTheContractsOrderWhateverOrderTheyWereSetIn() {
    JsonObject json = new JobJsonBuilder().priority("bulk").text("t").subject("s").to("a@example.org")
        .from("noreply@example.gov.in").tenant("billing").id("x").toJson();

    assertThat(json.fieldNames()).containsExactly("id", "tenant", "from", "to", "subject", "text", "priority");
  }

  @Test
  void aFieldNeverSetIsLeftOut() {
    assertThat(new JobJsonBuilder().id("x").encode()).isEqualTo("{\"id\":\"x\"}");
  }

  @Test
  void eachJsonIsANewObjectThatATestMayBreak() {
    JobJsonBuilder builder = new JobJsonBuilder().id("x").to("a@example.org").header("X-Campaign", "q4");
    JsonObject broken = builder.toJson();
    broken.getJsonArray("to").add("citizen@");
    broken.getJsonObject("headers").put("X-Other", "1");

    assertThat(builder.toJson().getJsonArray("to")).hasSize(1);
    assertThat(builder.toJson().getJsonObject("headers").fieldNames()).containsExactly("X-Campaign");
  }
}
