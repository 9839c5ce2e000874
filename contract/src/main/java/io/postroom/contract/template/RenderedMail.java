package io.postroom.contract.template;

/** The parts of one recipient's mail; text or html is null when the template has no such part. */
public record RenderedMail(String subject, String text, String html) implements Rendering {
}
