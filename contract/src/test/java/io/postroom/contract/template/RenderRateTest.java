package io.postroom.contract.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prints how many recipients a second one thread renders a typical statement for; a figure to
 * read, not a bound (this machine's two cores are shared), so it asserts only that it rendered.
 */
class RenderRateTest {
  private static final String HTML = "<html><body><p>Dear {{name}},</p>\n"
      + "<p>Your pension statement for {{month}} is ready. The amount paid is <b>{{amount}}</b>"
      + " to the account ending {{account}}.</p>\n"
      + "{{#note}}<p class=\"note\">{{note}}</p>{{/note}}\n"
      + "<p>If anything is wrong, write to us quoting reference {{reference}}.</p>"
      + "<p>Pensions Office</p></body></html>";
  private static final String TEXT = "Dear {{name}},\n\nYour pension statement for {{month}} is ready. The amount"
      + " paid is {{amount}} to the account ending {{account}}.\n{{#note}}{{note}}\n{{/note}}\nIf anything is"
      + " wrong, write to us quoting reference {{reference}}.\n\nPensions Office\n";

  @Test
  void printsTheRenderRate() {
    MailTemplate template = MailTemplate.compile("Your statement for {{month}}, {{name}}", TEXT, HTML);
    List<TemplateVars> recipients = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      recipients.add(TemplateVars.of(new JsonObject().put("name", "Asha O'Neil " + i).put("month", "December 2026")
          .put("amount", "1,200." + i % 100).put("account", String.format("%04d", i)).put("reference", "PS-" + i)
          .put("note", i % 10 == 0 ? "Your address changed <today>" : "")));
    }
    long chars = 0;
    long renders = 0;
    long start = System.nanoTime();
    long warmUntil = start + 1_000_000_000L;
    long measureFrom = 0;
    while (true) {
      for (TemplateVars vars : recipients) {
        RenderedMail mail = (RenderedMail) template.render(vars);
        chars += mail.html().length();
      }
      long now = System.nanoTime();
      if (measureFrom == 0 && now >= warmUntil) {
        measureFrom = now;
        renders = 0;
      } else if (measureFrom != 0) {
        renders += recipients.size();
        if (now - measureFrom >= 2_000_000_000L) {
          double perSecond = renders * 1e9 / (now - measureFrom);
          System.out.printf(Locale.ROOT, "MailTemplate.render: %,.0f recipients/s on one thread (subject, text and"
              + " html of a %d-character statement)%n", perSecond, mail(template, recipients.get(1)).html().length());
          break;
        }
      }
    }
    assertThat(chars).isPositive();
  }

  private static RenderedMail mail(MailTemplate template, TemplateVars vars) {
    return (RenderedMail) template.render(vars);
  }
}
