package io.postroom.contract.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.postroom.contract.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mail's subject, text and html as Mustache templates, compiled once and rendered for many
 * recipients, from many threads at once.
 *
 * <p>The rules, and why:
 * <ul>
 * <li>{@code {{name}}} is HTML-escaped in html and written as is in subject and text, which are
 *     not HTML. A value is written once, never read as a template again, so a value holding
 *     {@code {{other}}} or {@code <script>} comes out as those characters (escaped in html).
 * <li>{@code {{{name}}}} and {@code {{& name}}} (unescaped) are refused in html when the template is
 *     compiled: a recipient's data would become markup. Markup belongs in the template. (Even so,
 *     html values go through the escaping formatter, which JMustache applies to both forms.)
 * <li>A variable or section name that a recipient does not have, or has as null, fails that
 *     recipient's render with {@link ErrorCode#RENDER_FAILED} naming the variables; nothing is
 *     replaced by an empty string. For a section, false, null, "" and [] mean "leave out" (the
 *     empty string so that a CSV column can switch a section off); a missing name is an error all
 *     the same, because a misspelt flag would otherwise hide text from everyone.
 * <li>A subject that renders with CR, LF or NUL fails with {@link ErrorCode#HEADER_INJECTION}.
 * <li>No partials ({@code {{> name}}}), no template inheritance, no delimiter changes: a template
 *     is self-contained and loads nothing. Variables are read from maps and lists only (see
 *     {@link TemplateVars}): no methods, no fields, no lambdas.
 * </ul>
 */
public final class MailTemplate {
  private static final Mustache.Compiler PLAIN = compiler()
      .escapeHTML(false)
      .withFormatter(VariableText::text);
  /** Escaping in the formatter rather than the escaper, because JMustache skips the escaper for {{{ }}}. */
  private static final Mustache.Compiler HTML = compiler()
      .escapeHTML(false)
      .withFormatter(VariableText::html);
  /** A bulk send's recipients carry its template inline, each: compiled once, not once per recipient. */
  private static final CompiledTemplates RECENT = new CompiledTemplates(256, 256 * 1024);

  private final String subjectSource;
  private final String textSource;
  private final String htmlSource;
  private final Template subject;
  private final Template text;
  private final Template html;
  /** Keys used outside sections in any part: every recipient must have them. */
  private final String[] requiredKeys;
  /** Variables written outside sections in any part: every recipient must have them, not null. */
  private final String[] requiredValues;
  /** The names used outside sections in the subject, to name the one that carried a line break. */
  private final Set<String> subjectNames;

  private MailTemplate(String subjectSource, String textSource, String htmlSource) {
    this.subjectSource = subjectSource;
    this.textSource = textSource;
    this.htmlSource = htmlSource;
    List<TemplateSyntax.Names> names = new ArrayList<>(3);
    names.add(TemplateSyntax.check("subject", subjectSource, false));
    if (textSource != null) {
      names.add(TemplateSyntax.check("text", textSource, false));
    }
    if (htmlSource != null) {
      names.add(TemplateSyntax.check("html", htmlSource, true));
    }
    subjectNames = names.get(0).keys();
    Set<String> keys = new LinkedHashSet<>();
    Set<String> values = new LinkedHashSet<>();
    names.forEach(n -> {
      keys.addAll(n.keys());
      values.addAll(n.values());
    });
    requiredKeys = keys.toArray(String[]::new);
    requiredValues = values.toArray(String[]::new);
    subject = compile("subject", PLAIN, subjectSource);
    text = textSource == null ? null : compile("text", PLAIN, textSource);
    html = htmlSource == null ? null : compile("html", HTML, htmlSource);
  }

  /**
   * Compiles the three parts.
   *
   * @param subject required; a template that may be empty
   * @param text the plain-text part, or null
   * @param html the html part, or null; at least one of text and html is required
   * @throws TemplateException saying which part, line and column is wrong
   */
  public static MailTemplate compile(String subject, String text, String html) {
    if (subject == null) {
      throw new IllegalArgumentException("a template needs a subject (an empty one is allowed)");
    }
    if (text == null && html == null) {
      throw new IllegalArgumentException("a template needs a text part, an html part or both");
    }
    if (lineBreak(subject) >= 0) {
      throw lineBreakInSubject(subject);
    }
    return RECENT.get(subject, text, html, () -> new MailTemplate(subject, text, html));
  }

  /** The parts for one recipient, or why they cannot be made; never throws. */
  public Rendering render(TemplateVars vars) {
    Map<String, Object> values = vars.asMap();
    List<String> missing = missing(values);
    if (!missing.isEmpty()) {
      return RenderFailure.missing(missing);
    }
    String renderedSubject;
    try {
      renderedSubject = subject.execute(values);
      if (lineBreak(renderedSubject) >= 0) {
        return lineBreakFromVariables(values);
      }
      return new RenderedMail(renderedSubject, text == null ? null : text.execute(values),
          html == null ? null : html.execute(values));
    } catch (MustacheException.Context e) {
      return RenderFailure.missing(List.of(e.key));
    } catch (MustacheException | NullPointerException e) {
      // JMustache's NullPointerException: a section over a list that holds null
      return new RenderFailure(ErrorCode.RENDER_FAILED, List.of(), "the template could not be rendered for this"
          + " recipient: " + e.getMessage());
    }
  }

  /** Checked before rendering, so that the failure names every missing variable, not just the first. */
  private List<String> missing(Map<String, Object> values) {
    List<String> missing = List.of();
    for (String key : requiredKeys) {
      if (!values.containsKey(key)) {
        missing = add(missing, key);
      }
    }
    for (String value : requiredValues) {
      if (values.get(value) == null && !missing.contains(value)) {
        missing = add(missing, value);
      }
    }
    return missing;
  }

  private static List<String> add(List<String> list, String name) {
    List<String> longer = list.isEmpty() ? new ArrayList<>(2) : list;
    longer.add(name);
    return longer;
  }

  /** As {@code "template"} in a job: {@code {"subject": …, "text": …, "html": …}}, absent parts left out. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("subject", subjectSource);
    if (textSource != null) {
      json.put("text", textSource);
    }
    if (htmlSource != null) {
      json.put("html", htmlSource);
    }
    return json;
  }

  private static Mustache.Compiler compiler() {
    return Mustache.compiler()
        .withCollector(new SandboxCollector())
        .strictSections(true)
        .emptyStringIsFalse(true);
  }

  private static Template compile(String part, Mustache.Compiler compiler, String source) {
    try {
      return compiler.compile(source);
    } catch (MustacheException e) {
      // TemplateSyntax refuses what JMustache's parser refuses, with a column; this is the backstop
      throw new TemplateException(part, 0, 0, e.getMessage());
    }
  }

  private RenderFailure lineBreakFromVariables(Map<String, Object> values) {
    List<String> culprits = new ArrayList<>();
    for (String name : subjectNames) {
      if (lineBreak(VariableText.text(values.get(name))) >= 0) {
        culprits.add(name);
      }
    }
    return new RenderFailure(ErrorCode.HEADER_INJECTION, culprits, "the subject rendered for this recipient contains"
        + " a line break (CR or LF) or NUL" + (culprits.isEmpty() ? "" : " from " + String.join(", ", culprits))
        + ", which would let it add headers to the message: remove line breaks from the variables used in the subject");
  }

  private static TemplateException lineBreakInSubject(String subject) {
    int at = lineBreak(subject);
    return new TemplateException("subject", 1, at + 1, "the subject contains a line break (CR or LF) or NUL, which"
        + " would let it add headers to the message: a subject is one line");
  }

  private static int lineBreak(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == '\0') {
        return i;
      }
    }
    return -1;
  }
}
