package io.postroom.contract.template;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a template's tags the way JMustache's parser does (same states, same {@code {{ }}}
 * delimiters) before JMustache compiles it, for two reasons: errors that say line <em>and</em>
 * column, and the sandbox's refusals, which JMustache has no setting for. Also collects the names
 * used outside sections, which every recipient must have, so that a render failure can name all of
 * them at once instead of the first JMustache stops at.
 */
final class TemplateSyntax {
  private static final Set<String> SPECIAL = Set.of(".", "this", "-first", "-last", "-index");

  private enum State { TEXT, MATCHING_START, TAG, MATCHING_END }

  private record Open(String name, int line, int column) {
  }

  /**
   * The names used outside sections.
   *
   * @param keys every recipient's vars must hold these keys (the first part of {@code a.b})
   * @param values and these must not be null, as they are written out (a null section is left out)
   */
  record Names(Set<String> keys, Set<String> values) {
  }

  private final String part;
  private final boolean html;
  private final Set<String> keys = new LinkedHashSet<>();
  private final Set<String> values = new LinkedHashSet<>();
  private final Deque<Open> sections = new ArrayDeque<>();

  private TemplateSyntax(String part, boolean html) {
    this.part = part;
    this.html = html;
  }

  /**
   * Checks the template and returns the names every recipient must have.
   *
   * @throws TemplateException at the first problem
   */
  static Names check(String part, String source, boolean html) {
    TemplateSyntax syntax = new TemplateSyntax(part, html);
    syntax.scan(source);
    return new Names(syntax.keys, syntax.values);
  }

  private void scan(String source) {
    State state = State.TEXT;
    StringBuilder tag = new StringBuilder();
    int line = 1;
    int column = 0;
    int tagLine = 0;
    int tagColumn = 0;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      column++;
      switch (state) {
        case TEXT -> {
          if (c == '{') {
            state = State.MATCHING_START;
            tagLine = line;
            tagColumn = column;
          }
        }
        case MATCHING_START -> {
          if (c == '{') {
            state = State.TAG;
            tag.setLength(0);
          } else {
            // as JMustache does: the character is read again as text, and it is not a '{'
            state = State.TEXT;
          }
        }
        case TAG -> {
          if (c == '}') {
            state = State.MATCHING_END;
          } else if (c == '{' && tag.length() > 0 && tag.charAt(0) != '!') {
            // "{{foo {": JMustache takes "{{foo " as text and starts a new tag here
            state = State.MATCHING_START;
            tagLine = line;
            tagColumn = column;
          } else {
            tag.append(c);
          }
        }
        case MATCHING_END -> {
          if (c == '}') {
            boolean triple = tag.length() > 0 && tag.charAt(0) == '{';
            if (triple) {
              if (i + 1 >= source.length() || source.charAt(i + 1) != '}') {
                throw error(tagLine, tagColumn, "{{{" + tag.substring(1) + "}} has no third closing brace: write {{{name}}}");
              }
              i++;
              column++;
            }
            tag(tag.toString(), triple, tagLine, tagColumn);
            state = State.TEXT;
          } else {
            tag.append('}');
            state = State.TAG;
            i--;
            column--;
            continue;
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
      if (c == '\n') {
        line++;
        column = 0;
      }
    }
    if (state == State.TAG || state == State.MATCHING_END) {
      throw error(tagLine, tagColumn, "the tag {{" + shown(tag.toString()) + " is never closed with }}");
    }
    if (!sections.isEmpty()) {
      Open open = sections.peek();
      throw error(open.line(), open.column(), "the section {{#" + open.name() + "}} is never closed with {{/"
          + open.name() + "}}");
    }
  }

  private void tag(String raw, boolean triple, int line, int column) {
    if (!triple && raw.trim().startsWith("!")) {
      return; // a comment, which may span lines
    }
    if (raw.indexOf('\n') >= 0 || raw.indexOf('\r') >= 0) {
      throw error(line, column, "the tag {{" + shown(raw) + "}} spans lines: a tag must be on one line");
    }
    if (raw.startsWith("=")) {
      throw error(line, column, "changing the delimiters ({{=" + shown(raw.substring(1)) + "}}) is not supported");
    }
    String tag = (triple ? raw.substring(1) : raw).trim();
    if (tag.isEmpty()) {
      throw error(line, column, "the tag {{" + raw + "}} is empty: write {{name}}");
    }
    char kind = triple ? '&' : tag.charAt(0);
    String name = triple ? tag : tag.substring(1).trim();
    switch (kind) {
      case '#', '^' -> {
        requireName(kind, name, line, column);
        used(name, false);
        sections.push(new Open(name, line, column));
      }
      case '/' -> close(name, line, column);
      case '>' -> throw error(line, column, "{{>" + name + "}} includes another template (a partial), which is"
          + " not supported: a template is self-contained");
      case '<', '$' -> throw error(line, column, "{{" + kind + name + "}} is template inheritance, which is not"
          + " supported: a template is self-contained");
      case '&' -> {
        if (html) {
          throw error(line, column, (triple ? "{{{" + name + "}}}" : "{{&" + name + "}}") + " would insert " + name
              + " into the html unescaped, which lets a recipient's data add markup or scripts: use {{" + name
              + "}}, which is escaped; put markup in the template itself");
        }
        requireName(kind, name, line, column);
        used(name, true);
      }
      default -> used(tag, true);
    }
  }

  private void close(String name, int line, int column) {
    if (sections.isEmpty()) {
      throw error(line, column, "{{/" + name + "}} closes a section that was never opened");
    }
    Open open = sections.pop();
    if (!open.name().equals(name)) {
      throw error(line, column, "{{/" + name + "}} does not close the open section {{#" + open.name() + "}} of line "
          + open.line() + " column " + open.column());
    }
  }

  private void requireName(char kind, String name, int line, int column) {
    if (name.isEmpty()) {
      throw error(line, column, "the tag {{" + kind + "}} names no variable");
    }
  }

  /** Outside every section a name can only come from the recipient's own variables. */
  private void used(String name, boolean written) {
    if (!sections.isEmpty() || SPECIAL.contains(name)) {
      return;
    }
    int dot = name.indexOf('.');
    keys.add(dot > 0 ? name.substring(0, dot) : name);
    if (written && dot < 0) {
      values.add(name);
    }
  }

  private TemplateException error(int line, int column, String problem) {
    return new TemplateException(part, line, column, problem);
  }

  private static String shown(String text) {
    String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() > 40 ? oneLine.substring(0, 40) + "…" : oneLine;
  }
}
