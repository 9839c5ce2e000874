package io.postroom.contract.template;

/**
 * A template that cannot be used: a syntax error, or a construct the sandbox refuses. Says where:
 * the part ({@code subject}, {@code text} or {@code html}), line and column, both from 1.
 */
public final class TemplateException extends RuntimeException {
  private final String part;
  private final int line;
  private final int column;

  TemplateException(String part, int line, int column, String problem) {
    super(part + (line > 0 ? " line " + line + (column > 0 ? " column " + column : "") : "") + ": " + problem);
    this.part = part;
    this.line = line;
    this.column = column;
  }

  /** {@code subject}, {@code text} or {@code html}. */
  public String part() {
    return part;
  }

  /** From 1; 0 when the problem is not at one place. */
  public int line() {
    return line;
  }

  /** From 1; 0 when not known. */
  public int column() {
    return column;
  }
}
