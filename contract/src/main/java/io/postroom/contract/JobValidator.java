package io.postroom.contract;

import io.postroom.contract.template.MailTemplate;
import io.postroom.contract.template.RenderFailure;
import io.postroom.contract.template.RenderedMail;
import io.postroom.contract.template.Rendering;
import io.postroom.contract.template.TemplateFields;
import io.postroom.contract.template.TemplateRef;
import io.postroom.contract.template.TemplateRegistry;
import io.postroom.contract.template.TemplateSpec;
import io.postroom.contract.template.TemplateVars;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a job against the contract and builds the {@link Job}: the one validation for every entry
 * point, the dispatcher and the HTTP api. Every fault is reported, not just the first, each with a
 * stable {@link ErrorCode}, the field's JSON path and a sentence a person can act on.
 */
public final class JobValidator {
  /** 35 MB: the usual relay limit (Postfix's message_size_limit, Exchange Online) for the whole MIME message. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 36_700_160L;
  private static final int MAX_ID = JobFields.MAX_ID;

  private final long maxMessageBytes;

  public JobValidator(long maxMessageBytes) {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("the message size limit must be positive, got " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Validates a record as it arrives from Kafka or HTTP; never throws. */
  public Validation validate(byte[] utf8Json) {
    if (utf8Json == null || utf8Json.length == 0) {
      return invalidJson("the job is empty: expected a JSON object such as {\"id\": ..., \"tenant\": ..., ...}");
    }
    String text;
    try {
      // The strict decoder, because new String(...) would silently replace bad bytes with U+FFFD.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8Json)).toString();
    } catch (CharacterCodingException e) {
      return invalidJson("the job is not valid UTF-8: encode the JSON as UTF-8");
    }
    Object parsed;
    try {
      parsed = JsonText.parse(text);
    } catch (DecodeException e) {
      return invalidJson("the job is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject json)) {
      return invalidJson("the job is JSON but not an object: expected {\"id\": ..., \"tenant\": ..., ...}");
    }
    return validate(json);
  }

  public Validation validate(JsonObject json) {
    if (json == null) {
      return invalidJson("the job is null: expected a JSON object");
    }
    Reading reading = new Reading(json);
    String id = id(reading);
    String tenant = JobFields.tenant(reading);
    Address from = JobFields.from(reading);
    Address replyTo = JobFields.replyTo(reading);
    List<Address> to = AddressFields.list(reading, "to");
    List<Address> cc = AddressFields.list(reading, "cc");
    List<Address> bcc = AddressFields.list(reading, "bcc");
    if (to != null && cc != null && bcc != null && to.size() + cc.size() + bcc.size() == 0
        && !reading.anyAbout("to", "cc", "bcc")) {
      reading.add(ErrorCode.MISSING_FIELD, "to", "the job has no recipient: give at least one address in to, cc or bcc");
    }
    BulkMember bulk = bulkMember(reading, id);
    Parts parts = TemplateFields.present(json) ? templated(reading) : parts(reading);
    Map<String, String> headers = HeaderFields.read(reading);
    List<Attachment> attachments = AttachmentFields.read(reading);
    Priority priority = JobFields.priority(reading, Priority.NORMAL);
    Instant notBefore = JobFields.instant(reading, "notBefore");
    Instant expiresAt = JobFields.instant(reading, "expiresAt");
    JobFields.window(reading, notBefore, expiresAt);
    String stream = JobFields.name(reading, "stream", reading.optionalText("stream"));
    // Partial when there are faults; built anyway to size what could be read.
    Job job = new Job(id, tenant, from, replyTo, to, cc, bcc, parts.subject(), parts.text(), parts.html(), headers,
        attachments, priority, notBefore, expiresAt, parts.templateRef(), parts.vars(), bulk.bulkId(), bulk.key(), stream);
    tooLarge(reading, job);
    return new Validation(reading.violations().isEmpty() ? job : null, id, tenant, reading.violations(), bulk.bulkId(),
        bulk.key());
  }

  /**
   * Validates a record and renders a {@code templateRef} job from the registry, so that what is
   * valid can be sent as it is; with {@link TemplateRegistry#NONE}, such a job is rejected with
   * {@link ErrorCode#TEMPLATE_NOT_FOUND} instead of going out without subject and body.
   */
  public Validation validate(byte[] utf8Json, TemplateRegistry registry) {
    Validation validation = validate(utf8Json);
    return validation.valid() && validation.job().needsTemplate() ? resolve(validation.job(), registry) : validation;
  }

  /**
   * Renders a job given with {@code templateRef} from the registered template, and validates the
   * result as any job (its size, above all); a job that needs no template is returned as it is.
   */
  public Validation resolve(Job job, TemplateRegistry registry) {
    if (!job.needsTemplate()) {
      return new Validation(job, job.id(), job.tenant(), List.of(), job.bulkId(), job.key());
    }
    Optional<MailTemplate> template = registry.find(job.templateRef());
    if (template.isEmpty()) {
      return Validation.rejected(job.id(), job.tenant(), job.bulkId(), job.key(), new Violation(
          ErrorCode.TEMPLATE_NOT_FOUND, "templateRef", "template " + job.templateRef() + " is not registered: register"
          + " it with PUT /v1/templates/" + job.templateRef().name() + " or name a version that is"));
    }
    return render(job.toJson(), template.get(), job.vars());
  }

  /**
   * Renders a template into a job's JSON (everything but subject, text and html, built from values
   * already validated) and validates the result; a render failure rejects the job with
   * {@link ErrorCode#RENDER_FAILED} (or {@link ErrorCode#HEADER_INJECTION} for a line break in the
   * subject), field {@code vars}, under the id, tenant, bulkId and key the JSON gives.
   */
  public Validation render(JsonObject job, MailTemplate template, TemplateVars vars) {
    Rendering rendering = template.render(vars);
    if (rendering instanceof RenderFailure failure) {
      return Validation.rejected(job.getString("id"), job.getString("tenant"), job.getString("bulkId"),
          job.getString("key"), new Violation(failure.code(), "vars", failure.message()));
    }
    return validate(((RenderedMail) rendering).into(job));
  }

  /** Subject, text and html, or the template still to render with the job's vars. */
  private record Parts(String subject, String text, String html, TemplateRef templateRef, TemplateVars vars) {
  }

  private static Parts parts(Reading reading) {
    String subject = JobFields.subject(reading);
    String text = reading.optionalText("text");
    String html = reading.optionalText("html");
    if (text == null && html == null && !reading.anyAbout("text", "html")) {
      reading.add(ErrorCode.MISSING_FIELD, "text", "the job has no body: give text, html or both");
    }
    return new Parts(subject, text, html, null, null);
  }

  /** An inline template is rendered now; a registered one is left for {@link #resolve}. */
  private static Parts templated(Reading reading) {
    for (String part : List.of("subject", "text", "html")) {
      if (reading.json().getValue(part) != null) {
        reading.add(ErrorCode.INVALID_FIELD, part, "a job with a template gets its " + part + " from the template:"
            + " leave " + part + " out, or leave the template out");
      }
    }
    TemplateSpec spec = TemplateFields.read(reading);
    TemplateVars vars = TemplateFields.vars(reading);
    if (spec == null) {
      return new Parts(null, null, null, null, null);
    }
    if (spec.needsRegistry()) {
      return new Parts(null, null, null, spec.ref(), vars);
    }
    Rendering rendering = spec.inline().render(vars);
    if (rendering instanceof RenderFailure failure) {
      reading.add(failure.code(), "vars", failure.message());
      return new Parts(null, null, null, null, null);
    }
    RenderedMail mail = (RenderedMail) rendering;
    return new Parts(mail.subject(), mail.text(), mail.html(), null, null);
  }

  private record BulkMember(String bulkId, String key) {
  }

  /** A recipient's job of a bulk send says so, and its id is {@code <bulkId>/<key>}. */
  private static BulkMember bulkMember(Reading reading, String id) {
    String bulkId = reading.optionalText("bulkId");
    String key = reading.optionalText("key");
    if (bulkId == null && key == null) {
      return new BulkMember(null, null);
    }
    if (bulkId == null || key == null) {
      reading.add(ErrorCode.INVALID_FIELD, bulkId == null ? "bulkId" : "key",
          "bulkId and key go together: a job of a bulk send has both, other jobs neither");
      return new BulkMember(null, null);
    }
    if (id != null && !id.equals(bulkId + "/" + key)) {
      reading.add(ErrorCode.INVALID_FIELD, "id", "the id of a job of bulk send " + Reading.quoted(bulkId)
          + " must be " + Reading.quoted(bulkId + "/" + key) + ", its bulkId, '/' and its key");
    }
    return new BulkMember(bulkId, key);
  }

  /** The id if usable, else null: an unusable id is not echoed into status events and keys. */
  private static String id(Reading reading) {
    String id = reading.requiredText("id", "give the job a unique id of 1 to " + MAX_ID + " characters");
    if (id == null) {
      return null;
    }
    if (id.length() > MAX_ID) {
      reading.add(ErrorCode.INVALID_FIELD, "id", "id must be 1 to " + MAX_ID + " characters long, got " + id.length());
      return null;
    }
    if (JobFields.hasControlCharacters(id)) {
      reading.add(ErrorCode.INVALID_FIELD, "id", "id " + Reading.quoted(id) + " must not contain control characters");
      return null;
    }
    return id;
  }

  /**
   * Sized even when other faults were found, from the parts that could be read, so that one
   * answer lists everything to fix.
   */
  private void tooLarge(Reading reading, Job job) {
    long size = job.estimatedSize();
    if (size > maxMessageBytes) {
      reading.add(ErrorCode.TOO_LARGE, "", "the message is about " + MessageSize.describe(size)
          + ", above the relay's limit of " + MessageSize.describe(maxMessageBytes)
          + ": send large files as links instead of attachments");
    }
  }

  private static Validation invalidJson(String message) {
    return new Validation(null, null, null, List.of(new Violation(ErrorCode.INVALID_JSON, "", message)));
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
