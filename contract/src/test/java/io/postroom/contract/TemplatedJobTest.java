package io.postroom.contract;

import static io.postroom.contract.Jobs.minimal;
import static io.postroom.contract.Jobs.validate;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.template.MailTemplate;
import io.postroom.contract.template.TemplateRef;
import io.postroom.contract.template.TemplateRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplatedJobTest {
  private static final JsonObject STATEMENT = new JsonObject()
      .put("subject", "Your statement, {{name}}").put("html", "<p>Dear {{name}}</p>");
  private static final TemplateRegistry REGISTRY = ref -> ref.equals(new TemplateRef("statement", 3))
      ? Optional.of(MailTemplate.compile("Your statement, {{name}}", "Dear {{name}}", null))
      : Optional.empty();

  private static JsonObject templated() {
    JsonObject job = minimal();
    job.remove("subject");
    job.remove("text");
    return job;
  }

  private static JsonObject withTemplate(JsonObject vars) {
    return templated().put("template", STATEMENT.copy()).put("vars", vars);
  }

  private static JsonObject withRef(JsonObject vars) {
    return templated().put("templateRef", new JsonObject().put("name", "statement").put("version", 3)).put("vars", vars);
  }

  @Test
  void anInlineTemplateIsRenderedWithTheJobsVars() {
    Job job = Jobs.job(withTemplate(new JsonObject().put("name", "Asha <A>")));

    assertThat(job.subject()).isEqualTo("Your statement, Asha <A>");
    assertThat(job.html()).isEqualTo("<p>Dear Asha &lt;A&gt;</p>");
    assertThat(job.needsTemplate()).isFalse();
  }

  @Test
  void aMissingVariableRejectsTheJobWithRenderFailed() {
    Validation v = validate(withTemplate(new JsonObject()));

    assertThat(v.code()).isEqualTo(ErrorCode.RENDER_FAILED);
    assertThat(v.violations().get(0).field()).isEqualTo("vars");
    assertThat(v.message()).contains("name");
  }

  @Test
  void aLineBreakFromAVariableInTheSubjectIsHeaderInjection() {
    assertThat(validate(withTemplate(new JsonObject().put("name", "A\r\nBcc: x@example.org"))).code())
        .isEqualTo(ErrorCode.HEADER_INJECTION);
  }

  @Test
  void aTemplateThatDoesNotCompileIsBadTemplateWithItsPlace() {
    Validation v = validate(templated().put("template", new JsonObject().put("subject", "s").put("text", "{{#a}}x"))
        .put("vars", new JsonObject()));

    assertThat(v.code()).isEqualTo(ErrorCode.BAD_TEMPLATE);
    assertThat(v.violations().get(0).field()).isEqualTo("template.text");
    assertThat(v.message()).startsWith("template.text line 1 column 1:");
  }

  @Test
  void aTemplateWithoutSubjectIsMissingField() {
    Validation v = validate(templated().put("template", new JsonObject().put("text", "x")));

    assertThat(v.violations()).extracting(Violation::code, Violation::field)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ErrorCode.MISSING_FIELD, "template.subject"));
  }

  @Test
  void aTemplatedJobMayNotAlsoGiveASubject() {
    Validation v = validate(withTemplate(new JsonObject().put("name", "A")).put("subject", "Hello"));

    assertThat(v.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    assertThat(v.violations().get(0).field()).isEqualTo("subject");
  }

  @Test
  void templateAndTemplateRefTogetherAreRefused() {
    Validation v = validate(withTemplate(new JsonObject().put("name", "A"))
        .put("templateRef", new JsonObject().put("name", "statement").put("version", 3)));

    assertThat(v.violations()).extracting(Violation::field).contains("templateRef");
  }

  @Test
  void aTemplateRefJobNeedsARegistryLookUp() {
    Job job = Jobs.job(withRef(new JsonObject().put("name", "Asha")));

    assertThat(job.needsTemplate()).isTrue();
    assertThat(job.templateRef()).isEqualTo(new TemplateRef("statement", 3));
    assertThat(job.subject()).isNull();
  }

  @Test
  void aTemplateRefJobIsRenderedFromTheRegistry() {
    Validation v = Jobs.VALIDATOR.resolve(Jobs.job(withRef(new JsonObject().put("name", "Asha"))), REGISTRY);

    assertThat(v.valid()).isTrue();
    assertThat(v.job().subject()).isEqualTo("Your statement, Asha");
    assertThat(v.job().text()).isEqualTo("Dear Asha");
    assertThat(v.job().needsTemplate()).isFalse();
  }

  @Test
  void anUnregisteredTemplateRefIsTemplateNotFound() {
    JsonObject json = withRef(new JsonObject());
    json.getJsonObject("templateRef").put("version", 4);

    assertThat(Jobs.VALIDATOR.resolve(Jobs.job(json), REGISTRY).code()).isEqualTo(ErrorCode.TEMPLATE_NOT_FOUND);
  }

  @Test
  void aTemplateRefJobSurvivesItsJson() {
    Job job = Jobs.job(withRef(new JsonObject().put("name", "Asha")));

    assertThat(Jobs.job(job.toJson())).isEqualTo(job);
  }

  @Test
  void aTemplateRefVersionMustBeAWholeNumber() {
    JsonObject json = withRef(new JsonObject());
    json.getJsonObject("templateRef").put("version", "3");

    assertThat(validate(json).violations()).extracting(Violation::field).containsExactly("templateRef.version");
  }

  @Test
  void aBulkRecipientsJobCarriesBulkIdAndKey() {
    Job job = Jobs.job(minimal().put("id", "statement-2026-12/c-1001").put("bulkId", "statement-2026-12")
        .put("key", "c-1001"));

    assertThat(job.bulkId()).isEqualTo("statement-2026-12");
    assertThat(job.key()).isEqualTo("c-1001");
    assertThat(Jobs.job(job.toJson())).isEqualTo(job);
  }

  @Test
  void aBulkRecipientsJobIdMustBeBulkIdSlashKey() {
    Validation v = validate(minimal().put("id", "other").put("bulkId", "statement-2026-12").put("key", "c-1001"));

    assertThat(v.violations()).extracting(Violation::field).containsExactly("id");
    assertThat(v.bulkId()).isEqualTo("statement-2026-12");
  }

  @Test
  void aRejectedBulkRecipientsEventCarriesBulkIdAndKey() {
    Validation v = validate(minimal().put("id", "s/k").put("bulkId", "s").put("key", "k").put("to", "nobody"));

    StatusEvent event = StatusEvent.rejected(v, java.time.Instant.EPOCH);

    assertThat(event.bulkId()).isEqualTo("s");
    assertThat(event.key()).isEqualTo("k");
  }

  @Test
  void withoutARegistryATemplateRefJobIsRejectedNotSentEmpty() {
    byte[] record = withRef(new JsonObject().put("name", "Asha")).encode().getBytes(StandardCharsets.UTF_8);

    Validation v = Jobs.VALIDATOR.validate(record, TemplateRegistry.NONE);

    assertThat(v.code()).isEqualTo(ErrorCode.TEMPLATE_NOT_FOUND);
    assertThat(v.id()).isEqualTo("order-4711-confirmation");
  }

  @Test
  void withARegistryATemplateRefRecordIsRenderedAtOnce() {
    byte[] record = withRef(new JsonObject().put("name", "Asha")).encode().getBytes(StandardCharsets.UTF_8);

    assertThat(Jobs.VALIDATOR.validate(record, REGISTRY).job().subject()).isEqualTo("Your statement, Asha");
  }
}
