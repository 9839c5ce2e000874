package io.postroom.contract.template;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One registered version of a tenant's template, as a record of {@code mail.templates}: key
 * {@link #key()} ({@code <tenant>/<name>/<version>}), value {@link #toJson()}
 * ({@code {"tenant", "name", "version", "subject", "text", "html", "at"}}, absent parts left out).
 * Immutable: a version, once registered, never changes; a change is a new version.
 */
public record TemplateVersion(String tenant, String name, int version, String subject, String text, String html,
    Instant at) {

  public static String key(String tenant, String name, int version) {
    return tenant + "/" + name + "/" + version;
  }

  public String key() {
    return key(tenant, name, version);
  }

  /** Whether both say the same thing (the time they were written aside). */
  public boolean sameContent(TemplateVersion other) {
    return Objects.equals(subject, other.subject) && Objects.equals(text, other.text)
        && Objects.equals(html, other.html);
  }

  /** Compiles it; a registered version was compiled before it was written, so this does not fail in practice. */
  public MailTemplate compile() {
    return MailTemplate.compile(subject, text, html);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("tenant", tenant).put("name", name).put("version", version)
        .put("subject", subject);
    if (text != null) {
      json.put("text", text);
    }
    if (html != null) {
      json.put("html", html);
    }
    return json.put("at", at == null ? null : at.toString());
  }

  /** @throws IllegalArgumentException when a field is missing or of the wrong type */
  public static TemplateVersion fromJson(JsonObject json) {
    try {
      String at = json.getString("at");
      TemplateVersion version = new TemplateVersion(json.getString("tenant"), json.getString("name"),
          json.getInteger("version"), json.getString("subject"), json.getString("text"), json.getString("html"),
          at == null ? null : Instant.parse(at));
      if (version.tenant == null || version.name == null || version.subject == null
          || (version.text == null && version.html == null)) {
        throw new IllegalArgumentException("a registered template needs tenant, name, version, subject and text or html");
      }
      return version;
    } catch (ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("not a registered template: " + e.getMessage(), e);
    }
  }
}
