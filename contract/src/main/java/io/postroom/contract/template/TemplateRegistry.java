package io.postroom.contract.template;

import java.util.Optional;

/**
 * The registered templates ({@code PUT /v1/templates/{name}}, topic {@code mail.templates}),
 * compiled once each. Versions are immutable, so a compiled template may be cached for good.
 */
public interface TemplateRegistry {

  /** The compiled template, or empty when no such name and version is registered (yet). */
  Optional<MailTemplate> find(TemplateRef ref);
}
