package io.postroom.contract.template;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateCompileTest {

  private static TemplateException error(String subject, String text, String html) {
    return catchThrowableOfType(TemplateException.class, () -> MailTemplate.compile(subject, text, html));
  }

  @Test
  void anUnclosedSectionSaysWhereItOpened() {
    TemplateException e = error("s", "Dear {{name}},\n  {{#premium}}Thanks", null);

    assertThat(e.part()).isEqualTo("text");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(3);
    assertThat(e.getMessage()).contains("text line 2 column 3").contains("{{#premium}}").contains("never closed");
  }

  @Test
  void aMismatchedCloseTagIsRefused() {
    TemplateException e = error("s", "{{#a}}{{#b}}x{{/a}}{{/b}}", null);

    assertThat(e.column()).isEqualTo(14);
    assertThat(e.getMessage()).contains("{{/a}} does not close the open section {{#b}}");
  }

  @Test
  void aCloseTagWithoutAnOpenOneIsRefused() {
    assertThat(error("s", "x{{/a}}", null).getMessage()).contains("never opened");
  }

  @Test
  void anUnclosedTagIsRefused() {
    TemplateException e = error("Hi {{name", "x", null);

    assertThat(e.part()).isEqualTo("subject");
    assertThat(e.column()).isEqualTo(4);
    assertThat(e.getMessage()).contains("never closed with }}");
  }

  @Test
  void anEmptyTagIsRefused() {
    assertThat(error("s", "a {{ }} b", null).getMessage()).contains("empty");
  }

  @Test
  void aPartialIsRefused() {
    TemplateException e = error("s", "x", "<p>{{> /etc/passwd}}</p>");

    assertThat(e.part()).isEqualTo("html");
    assertThat(e.column()).isEqualTo(4);
    assertThat(e.getMessage()).contains("partial");
  }

  @Test
  void templateInheritanceIsRefused() {
    assertThat(error("s", "{{<layout}}{{/layout}}", null).getMessage()).contains("inheritance");
  }

  @Test
  void changingDelimitersIsRefused() {
    assertThat(error("s", "{{=<% %>=}}<%name%>", null).getMessage()).contains("delimiters");
  }

  @Test
  void tripleMustacheInHtmlIsRefused() {
    TemplateException e = error("s", null, "<p>{{{name}}}</p>");

    assertThat(e.part()).isEqualTo("html");
    assertThat(e.getMessage()).contains("unescaped").contains("use {{name}}");
  }

  @Test
  void ampersandInHtmlIsRefused() {
    assertThat(error("s", null, "<p>{{ & name }}</p>").getMessage()).contains("unescaped");
  }

  @Test
  void aTripleMustacheWithoutItsThirdBraceIsRefused() {
    assertThat(error("s", "{{{name}}", null).getMessage()).contains("third closing brace");
  }

  @Test
  void aTagSpanningLinesIsRefused() {
    assertThat(error("s", "{{na\nme}}", null).getMessage()).contains("spans lines");
  }

  @Test
  void aCommentMaySpanLines() {
    assertThat(MailTemplate.compile("s", "a{{! one\ntwo }}b", null).render(TemplateVars.NONE))
        .isEqualTo(new RenderedMail("s", "ab", null));
  }

  @Test
  void aLineBreakInTheSubjectTemplateIsRefused() {
    assertThat(error("Hi\r\nBcc: all@example.org", "x", null).getMessage()).contains("line break");
  }

  @Test
  void aTemplateNeedsABody() {
    assertThatThrownBy(() -> MailTemplate.compile("s", null, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void singleBracesAreText() {
    assertThat(MailTemplate.compile("s", "a {b} {{x}} }}", null).render(TemplateVars.of(
        new io.vertx.core.json.JsonObject().put("x", 1)))).isEqualTo(new RenderedMail("s", "a {b} 1 }}", null));
  }
}
