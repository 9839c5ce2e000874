package io.postroom.contract.template;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The templates compiled lately, by their sources: every recipient job of a bulk send carries its
 * send's template inline, and compiling it again for each of them would cost more than rendering
 * it. Bounded in entries and in the size of a template kept (a larger one is compiled each time),
 * least recently used forgotten first. Thread-safe: a {@link MailTemplate} is immutable.
 */
final class CompiledTemplates {
  private record Sources(String subject, String text, String html) {
    int length() {
      return subject.length() + (text == null ? 0 : text.length()) + (html == null ? 0 : html.length());
    }
  }

  private final int maxSourceChars;
  private final Map<Sources, MailTemplate> recent;

  CompiledTemplates(int capacity, int maxSourceChars) {
    this.maxSourceChars = maxSourceChars;
    this.recent = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Sources, MailTemplate> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The compiled template of these sources: the one kept, or {@code compile}'s, kept if small enough. */
  MailTemplate get(String subject, String text, String html, Supplier<MailTemplate> compile) {
    Sources sources = new Sources(subject, text, html);
    if (sources.length() > maxSourceChars) {
      return compile.get();
    }
    synchronized (recent) {
      MailTemplate kept = recent.get(sources);
      if (kept != null) {
        return kept;
      }
    }
    // compiled outside the lock; two threads compiling the same sources at once both get a correct template
    MailTemplate compiled = compile.get();
    synchronized (recent) {
      recent.putIfAbsent(sources, compiled);
    }
    return compiled;
  }

  int size() {
    synchronized (recent) {
      return recent.size();
    }
  }
}
