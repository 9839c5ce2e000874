package io.postroom.contract.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry as read from mail.templates: versions per tenant and name, the first record of a version counting. */
class RegisteredTemplatesTest {
  private final RegisteredTemplates templates = new RegisteredTemplates();

  private static TemplateVersion version(String tenant, String name, int version, String subject) {
    return new TemplateVersion(tenant, name, version, subject, "Dear {{name}}", null, Instant.parse("2026-12-02T10:00:00Z"));
  }

  private String apply(TemplateVersion version) {
    return templates.apply(version.key(), version.toJson().encode().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theLatestVersionIsTheHighestRegisteredAndZeroBeforeAny() {
    assertThat(templates.latest("pensions", "statement")).isZero();

    apply(version("pensions", "statement", 1, "One"));
    apply(version("pensions", "statement", 3, "Three"));
    apply(version("pensions", "statement", 2, "Two"));

    assertThat(templates.latest("pensions", "statement")).isEqualTo(3);
    assertThat(templates.versions("pensions", "statement")).extracting(TemplateVersion::version).containsExactly(1, 2, 3);
  }

  @Test
  void aVersionWrittenAgainWithOtherContentKeepsTheFirstAndSaysSo() {
    apply(version("pensions", "statement", 1, "First"));

    String skipped = apply(version("pensions", "statement", 1, "Second"));

    assertThat(skipped).contains("pensions/statement/1").contains("first stays");
    assertThat(templates.find("pensions", "statement", 1)).get().extracting(TemplateVersion::subject).isEqualTo("First");
    assertThat(apply(version("pensions", "statement", 1, "First"))).isNull();
  }

  @Test
  void eachTenantSeesOnlyItsOwnTemplatesThroughItsRegistry() {
    apply(version("pensions", "statement", 1, "Hello {{name}}"));

    TemplateRegistry pensions = templates.of("pensions");
    TemplateRegistry billing = templates.of("billing");

    assertThat(pensions.find(new TemplateRef("statement", 1))).get()
        .satisfies(t -> assertThat(((RenderedMail) t.render(TemplateVars.of(Map.of("name", "Asha")))).subject())
            .isEqualTo("Hello Asha"));
    assertThat(pensions.find(new TemplateRef("statement", 2))).isEmpty();
    assertThat(billing.find(new TemplateRef("statement", 1))).isEmpty();
  }

  @Test
  void aTombstoneRemovesAVersionAndARecordThatIsNotATemplateIsSkipped() {
    apply(version("pensions", "statement", 1, "One"));

    templates.apply("pensions/statement/1", null);
    String skipped = templates.apply("pensions/other/1", "{\"tenant\": \"pensions\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(templates.versions("pensions", "statement")).isEmpty();
    assertThat(skipped).contains("not a template");
    assertThat(templates.versions("pensions", "other")).isEmpty();
  }

  @Test
  void aVersionReadsBackFromItsJson() {
    TemplateVersion version = new TemplateVersion("pensions", "statement", 4, "S {{a}}", null, "<p>{{a}}</p>",
        Instant.parse("2026-12-02T10:00:00Z"));

    assertThat(TemplateVersion.fromJson(new JsonObject(version.toJson().encode()))).isEqualTo(version);
    assertThat(version.key()).isEqualTo("pensions/statement/4");
  }
}
