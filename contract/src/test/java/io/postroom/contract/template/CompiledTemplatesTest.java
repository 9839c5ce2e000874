package io.postroom.contract.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompiledTemplatesTest {
  private final AtomicInteger compiled = new AtomicInteger();

  private MailTemplate compile(String subject) {
    compiled.incrementAndGet();
    return MailTemplate.compile(subject + " {{n}}", "text", null);
  }

  @Test
  void theSameSourcesAreCompiledOnce() {
    CompiledTemplates recent = new CompiledTemplates(4, 1000);
    MailTemplate first = recent.get("a", "text", null, () -> compile("a"));
    MailTemplate second = recent.get("a", "text", null, () -> compile("a"));
    assertThat(second).isSameAs(first);
    assertThat(compiled).hasValue(1);
  }

  @Test
  void otherSourcesAreCompiledApart() {
    CompiledTemplates recent = new CompiledTemplates(4, 1000);
    recent.get("a", "text", null, () -> compile("a"));
    recent.get("a", "text", "<p>html</p>", () -> compile("b"));
    assertThat(compiled).hasValue(2);
  }

  @Test
  void theLeastRecentlyUsedIsForgottenBeyondTheCapacity() {
    CompiledTemplates recent = new CompiledTemplates(2, 1000);
    recent.get("a", "t", null, () -> compile("a"));
    recent.get("b", "t", null, () -> compile("b"));
    recent.get("a", "t", null, () -> compile("a"));
    recent.get("c", "t", null, () -> compile("c"));
    assertThat(recent.size()).isEqualTo(2);
    recent.get("a", "t", null, () -> compile("a"));
    assertThat(compiled).as("a was used after b, so b was forgotten, not a").hasValue(3);
    recent.get("b", "t", null, () -> compile("b"));
    assertThat(compiled).hasValue(4);
  }

  @Test
  void aTemplateLargerThanTheLimitIsNotKept() {
    CompiledTemplates recent = new CompiledTemplates(4, 10);
    recent.get("a", "a text longer than ten", null, () -> compile("a"));
    recent.get("a", "a text longer than ten", null, () -> compile("a"));
    assertThat(compiled).hasValue(2);
    assertThat(recent.size()).isZero();
  }

  @Test
  void mailTemplateCompileGivesTheKeptTemplateForTheSameSources() {
    assertThat(MailTemplate.compile("Hi {{name}}", "Dear {{name}}", null))
        .isSameAs(MailTemplate.compile("Hi {{name}}", "Dear {{name}}", null));
  }
}
