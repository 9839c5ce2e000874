package io.postroom.contract.template;

import java.util.Optional;

/**
 * The template a job or bulk job names: given inline (compiled when the job was read) or a
 * registered one by name and version, which needs a look-up in the {@link TemplateRegistry}.
 * Exactly one of the two is set.
 */
public record TemplateSpec(MailTemplate inline, TemplateRef ref) {

  public TemplateSpec {
    if ((inline == null) == (ref == null)) {
      throw new IllegalArgumentException("a template is either inline or a reference");
    }
  }

  public static TemplateSpec of(MailTemplate inline) {
    return new TemplateSpec(inline, null);
  }

  public static TemplateSpec of(TemplateRef ref) {
    return new TemplateSpec(null, ref);
  }

  public boolean needsRegistry() {
    return inline == null;
  }

  /** The compiled template; empty when the reference is not (yet) registered. */
  public Optional<MailTemplate> resolve(TemplateRegistry registry) {
    return inline != null ? Optional.of(inline) : registry.find(ref);
  }
}
