package io.postroom.contract.template;

import io.postroom.contract.ErrorCode;
import java.util.List;

/**
 * Why a template could not be rendered for one recipient; that recipient's job ends
 * {@code REJECTED} with {@link #code()}, the others are not affected.
 *
 * @param code {@link ErrorCode#RENDER_FAILED}, or {@link ErrorCode#HEADER_INJECTION} when a
 *     variable put a line break into the subject
 * @param variables the variables at fault, by name ({@code name}, {@code address.city})
 * @param message a sentence a person can act on
 */
public record RenderFailure(ErrorCode code, List<String> variables, String message) implements Rendering {

  public RenderFailure {
    variables = List.copyOf(variables);
  }

  static RenderFailure missing(List<String> names) {
    return new RenderFailure(ErrorCode.RENDER_FAILED, names, (names.size() == 1 ? "variable " : "variables ")
        + String.join(", ", names) + (names.size() == 1 ? " is" : " are")
        + " missing or null for this recipient: give it in the recipient's vars");
  }
}
