package io.postroom.contract.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MailTemplateTest {

  static RenderedMail rendered(MailTemplate template, JsonObject vars) {
    Rendering rendering = template.render(TemplateVars.of(vars));
    assertThat(rendering).isInstanceOf(RenderedMail.class);
    return (RenderedMail) rendering;
  }

  static RenderFailure failure(MailTemplate template, JsonObject vars) {
    Rendering rendering = template.render(TemplateVars.of(vars));
    assertThat(rendering).isInstanceOf(RenderFailure.class);
    return (RenderFailure) rendering;
  }

  private static final JsonObject ASHA = new JsonObject().put("name", "Asha & <Co>").put("amount", "1,200");

  @Test
  void htmlEscapesAVariable() {
    MailTemplate template = MailTemplate.compile("Hi", null, "<p>Dear {{name}}</p>");

    assertThat(rendered(template, ASHA).html()).isEqualTo("<p>Dear Asha &amp; &lt;Co&gt;</p>");
  }

  @Test
  void textWritesAVariableAsIs() {
    MailTemplate template = MailTemplate.compile("Hi", "Dear {{name}}", null);

    assertThat(rendered(template, ASHA).text()).isEqualTo("Dear Asha & <Co>");
  }

  @Test
  void subjectWritesAVariableAsIs() {
    MailTemplate template = MailTemplate.compile("Your statement, {{name}}", "x", null);

    assertThat(rendered(template, ASHA).subject()).isEqualTo("Your statement, Asha & <Co>");
  }

  @Test
  void aValueHoldingMustacheTagsIsWrittenLiterally() {
    MailTemplate template = MailTemplate.compile("{{name}}", "{{name}}", "{{name}}");
    JsonObject vars = new JsonObject().put("name", "{{secret}}").put("secret", "leaked");

    RenderedMail mail = rendered(template, vars);

    assertThat(mail.subject()).isEqualTo("{{secret}}");
    assertThat(mail.text()).isEqualTo("{{secret}}");
    assertThat(mail.html()).isEqualTo("{{secret}}");
  }

  @Test
  void aValueHoldingAScriptIsInertInHtml() {
    MailTemplate template = MailTemplate.compile("s", null, "<a title=\"{{name}}\">{{name}}</a>");

    assertThat(rendered(template, new JsonObject().put("name", "\"><script>alert(1)</script>")).html())
        .isEqualTo("<a title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"
            + "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>");
  }

  @Test
  void aMissingVariableIsNamed() {
    MailTemplate template = MailTemplate.compile("Hi {{name}}", "You owe {{amount}}", null);

    RenderFailure failure = failure(template, new JsonObject().put("name", "Asha"));

    assertThat(failure.code()).isEqualTo(ErrorCode.RENDER_FAILED);
    assertThat(failure.variables()).containsExactly("amount");
    assertThat(failure.message()).contains("amount");
  }

  @Test
  void everyMissingVariableIsNamedAtOnce() {
    MailTemplate template = MailTemplate.compile("Hi {{name}}", "You owe {{amount}} by {{date}}", null);

    assertThat(failure(template, new JsonObject().put("name", "Asha")).variables()).containsExactly("amount", "date");
  }

  @Test
  void aNullVariableIsMissing() {
    MailTemplate template = MailTemplate.compile("Hi {{name}}", "x", null);

    assertThat(failure(template, new JsonObject().putNull("name")).variables()).containsExactly("name");
  }

  @Test
  void aVariableMissingInsideASectionIsNamed() {
    MailTemplate template = MailTemplate.compile("s", "{{#items}}{{title}}: {{price}}\n{{/items}}", null);
    JsonObject vars = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("title", "Tea")));

    assertThat(failure(template, vars).variables()).containsExactly("price");
  }

  @Test
  void aMissingNestedVariableIsNamedWithItsPath() {
    MailTemplate template = MailTemplate.compile("s", "{{address.city}}", null);

    assertThat(failure(template, new JsonObject().put("address", new JsonObject())).variables())
        .containsExactly("address.city");
  }

  @Test
  void aSectionOverAMissingNameFails() {
    MailTemplate template = MailTemplate.compile("s", "{{#premium}}Thank you!{{/premium}}", null);

    assertThat(failure(template, new JsonObject()).variables()).containsExactly("premium");
  }

  @Test
  void aSectionOverFalseOrEmptyIsLeftOut() {
    MailTemplate template = MailTemplate.compile("s", "a{{#premium}}b{{/premium}}c", null);

    assertThat(rendered(template, new JsonObject().put("premium", false)).text()).isEqualTo("ac");
    assertThat(rendered(template, new JsonObject().put("premium", "")).text()).isEqualTo("ac");
    assertThat(rendered(template, new JsonObject().putNull("premium")).text()).isEqualTo("ac");
    assertThat(rendered(template, new JsonObject().put("premium", "yes")).text()).isEqualTo("abc");
  }

  @Test
  void aSectionRepeatsOverAList() {
    MailTemplate template = MailTemplate.compile("s", "{{#items}}[{{.}}]{{/items}}", null);

    assertThat(rendered(template, new JsonObject().put("items", new JsonArray().add("a").add(2))).text())
        .isEqualTo("[a][2]");
  }

  @Test
  void numbersAreWrittenAsPeopleWriteThem() {
    MailTemplate template = MailTemplate.compile("s", "{{a}} {{b}} {{c}}", null);

    assertThat(rendered(template, new JsonObject().put("a", 1200).put("b", 1200.0).put("c", 0.5)).text())
        .isEqualTo("1200 1200 0.5");
  }

  @Test
  void methodsOfValuesCannotBeCalled() {
    MailTemplate template = MailTemplate.compile("s", "{{name.length}}{{name.bytes}}", null);

    assertThat(failure(template, new JsonObject().put("name", "Asha")).variables()).containsExactly("name.length");
  }

  @Test
  void aMapsEntrySetIsNotReachable() {
    MailTemplate template = MailTemplate.compile("s", "{{#entrySet}}{{.}}{{/entrySet}}", null);

    assertThat(failure(template, new JsonObject().put("name", "Asha")).variables()).containsExactly("entrySet");
  }

  @Test
  void aLineBreakFromAVariableInTheSubjectIsHeaderInjection() {
    MailTemplate template = MailTemplate.compile("Hi {{name}}", "x", null);

    RenderFailure failure = failure(template, new JsonObject().put("name", "Asha\r\nBcc: all@example.org"));

    assertThat(failure.code()).isEqualTo(ErrorCode.HEADER_INJECTION);
    assertThat(failure.variables()).containsExactly("name");
  }

  @Test
  void aLineBreakFromAVariableInTheTextIsFine() {
    MailTemplate template = MailTemplate.compile("s", "{{address}}", null);

    assertThat(rendered(template, new JsonObject().put("address", "1 Main St\nPune")).text())
        .isEqualTo("1 Main St\nPune");
  }

  @Test
  void oneTemplateRendersEachRecipientsOwnValues() {
    MailTemplate template = MailTemplate.compile("Hi {{name}}", "x", null);

    assertThat(rendered(template, new JsonObject().put("name", "Asha")).subject()).isEqualTo("Hi Asha");
    assertThat(rendered(template, new JsonObject().put("name", "Ravi")).subject()).isEqualTo("Hi Ravi");
  }

  @Test
  void tripleMustacheInTextIsAllowedAndRaw() {
    MailTemplate template = MailTemplate.compile("s", "{{{name}}} {{& name}}", null);

    assertThat(rendered(template, new JsonObject().put("name", "<b>")).text()).isEqualTo("<b> <b>");
  }

  @Test
  void toJsonGivesTheSources() {
    MailTemplate template = MailTemplate.compile("Hi {{name}}", null, "<p>{{name}}</p>");

    assertThat(template.toJson()).isEqualTo(new JsonObject().put("subject", "Hi {{name}}").put("html", "<p>{{name}}</p>"));
  }

  @Test
  void aListHoldingNullFailsTheRenderNotTheCaller() {
    MailTemplate template = MailTemplate.compile("s", "{{#items}}{{title}}{{/items}}", null);

    assertThat(failure(template, new JsonObject().put("items", new JsonArray().addNull())).code())
        .isEqualTo(ErrorCode.RENDER_FAILED);
  }

  @Test
  void oneTemplateRendersForManyThreadsAtOnce() throws Exception {
    MailTemplate template = MailTemplate.compile("Hi {{name}}", "{{#items}}{{.}},{{/items}}", "<p>{{name}}</p>");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(threads.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            String name = "n" + thread + "-" + i;
            RenderedMail mail = (RenderedMail) template.render(TemplateVars.of(new JsonObject().put("name", name)
                .put("items", new JsonArray().add(i).add(thread))));
            if (!mail.subject().equals("Hi " + name) || !mail.text().equals(i + "," + thread + ",")
                || !mail.html().equals("<p>" + name + "</p>")) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
