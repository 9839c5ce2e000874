package io.postroom.contract.template;

import java.util.Optional;

/**
 * The registered templates ({@code PUT /v1/templates/{name}}, topic {@code mail.templates}),
 * compiled once each. Versions are immutable, so a compiled template may be cached for good.
 */
public interface TemplateRegistry {
  /** No registered templates: what a process has until it reads {@code mail.templates}. */
  TemplateRegistry NONE = ref -> Optional.empty();

  /** The compiled template, or empty when no such name and version is registered (yet). */
  Optional<MailTemplate> find(TemplateRef ref);
}
