package io.postroom.contract.template;

import io.vertx.core.json.JsonObject;

/** The parts of one recipient's mail; text or html is null when the template has no such part. */
public record RenderedMail(String subject, String text, String html) implements Rendering {

  /** Writes the parts into a job's JSON in place of its template, and returns it. */
  public JsonObject into(JsonObject job) {
    job.remove("template");
    job.remove("templateRef");
    job.remove("vars");
    job.put("subject", subject);
    if (text != null) {
      job.put("text", text);
    }
    if (html != null) {
      job.put("html", html);
    }
    return job;
  }
}
