package io.postroom.dispatcher.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineEndingsTest {

  @Test
  void crlfBecomesLf() {
    assertThat(LineEndings.canonical("one\r\ntwo\r\n")).isEqualTo("one\ntwo\n");
  }

  @Test
  void aLoneCrBecomesLf() {
    assertThat(LineEndings.canonical("one\rtwo\r")).isEqualTo("one\ntwo\n");
  }

  @Test
  void aLoneLfStaysLf() {
    assertThat(LineEndings.canonical("one\ntwo\n")).isEqualTo("one\ntwo\n");
  }

  @Test
  void aMixtureBecomesOneLfPerLineEnd() {
    assertThat(LineEndings.canonical("a\r\nb\rc\nd")).isEqualTo("a\nb\nc\nd");
  }

  @Test
  void aCrBeforeACrlfIsTwoLineEnds() {
    assertThat(LineEndings.canonical("a\r\r\nb")).isEqualTo("a\n\nb");
  }

  @Test
  void anLfBeforeACrIsTwoLineEnds() {
    assertThat(LineEndings.canonical("a\n\rb")).isEqualTo("a\n\nb");
  }

  @Test
  void noCarriageReturnSurvivesSoNoSmuggledEndOfDataCanBeFormed() {
    String canonical = LineEndings.canonical("hello\n.\r\nMAIL FROM:<x@evil.example>\r.\r\n");

    assertThat(canonical).doesNotContain("\r").isEqualTo("hello\n.\nMAIL FROM:<x@evil.example>\n.\n");
  }

  @Test
  void textWithoutLineBreaksIsUnchanged() {
    assertThat(LineEndings.canonical("Grüße, one line")).isEqualTo("Grüße, one line");
  }

  @Test
  void anEmptyBodyStaysEmpty() {
    assertThat(LineEndings.canonical("")).isEmpty();
  }

  @Test
  void noBodyStaysNoBody() {
    assertThat(LineEndings.canonical(null)).isNull();
  }
}
