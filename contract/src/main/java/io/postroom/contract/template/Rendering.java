package io.postroom.contract.template;

/** What rendering a template for one recipient gave: a {@link RenderedMail} or a {@link RenderFailure}. */
public sealed interface Rendering permits RenderedMail, RenderFailure {
}
