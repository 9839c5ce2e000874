package io.postroom.contract.template;

import io.postroom.contract.ErrorCode;
import io.postroom.contract.JobFields;
import io.postroom.contract.Reading;
import io.vertx.core.json.JsonObject;

/**
 * Reads {@code "template"}, {@code "templateRef"} and {@code "vars"} of a job or a bulk job, with
 * the job's rules for the parts: a subject (which may be empty, on one line) and text, html or both.
 */
public final class TemplateFields {
  private TemplateFields() {
  }

  /** Whether the JSON names a template at all, so that subject, text and html come from it. */
  public static boolean present(JsonObject json) {
    return json.getValue("template") != null || json.getValue("templateRef") != null;
  }

  /** The template, or null after recording why there is none usable (or when neither field is given). */
  public static TemplateSpec read(Reading reading) {
    JsonObject inline = reading.optionalObject("template", "{\"subject\": \"Hi {{name}}\", \"text\": \"...\"}");
    JsonObject ref = reading.optionalObject("templateRef", "{\"name\": \"statement\", \"version\": 3}");
    if (inline != null && ref != null) {
      reading.add(ErrorCode.INVALID_FIELD, "templateRef", "give template or templateRef, not both");
      return null;
    }
    if (inline != null) {
      return inline(reading.nested("template", inline));
    }
    return ref == null ? null : ref(reading.nested("templateRef", ref));
  }

  /** The recipient's or templated job's variables; none when absent. */
  public static TemplateVars vars(Reading reading) {
    JsonObject vars = reading.optionalObject("vars", "{\"name\": \"Asha\"}");
    return vars == null ? TemplateVars.NONE : TemplateVars.of(vars);
  }

  /** A template given inline, read from its own object ({@code {"subject", "text", "html"}}): a registered template's body. */
  public static TemplateSpec inline(Reading reading) {
    int faults = reading.violations().size();
    String subject = JobFields.subject(reading);
    String text = reading.optionalText("text");
    String html = reading.optionalText("html");
    if (text == null && html == null && !reading.anyAbout("text", "html")) {
      reading.add(ErrorCode.MISSING_FIELD, "text", "the template has no body: give text, html or both");
    }
    if (reading.violations().size() > faults) {
      return null;
    }
    try {
      return TemplateSpec.of(MailTemplate.compile(subject, text, html));
    } catch (TemplateException e) {
      reading.add(ErrorCode.BAD_TEMPLATE, e.part(), reading.path(e.getMessage()));
      return null;
    }
  }

  private static TemplateSpec ref(Reading reading) {
    String name = JobFields.name(reading, "name",
        reading.requiredText("name", "give the registered template's name, e.g. \"statement\""));
    Integer version = JobFields.wholeNumberFromOne(reading, "version");
    if (reading.json().getValue("version") == null) {
      reading.add(ErrorCode.MISSING_FIELD, "version", reading.path("version")
          + " is required: give the registered template's version, a number from 1");
    }
    return name == null || version == null ? null : TemplateSpec.of(new TemplateRef(name, version));
  }
}
