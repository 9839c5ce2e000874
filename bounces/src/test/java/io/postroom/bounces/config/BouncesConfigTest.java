package io.postroom.bounces.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.contract.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BouncesConfigTest {
  @TempDir
  Path dir;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void keysAndPassword() throws IOException {
    Path keys = Files.writeString(dir.resolve("keys"), "k1 " + "A".repeat(44) + "\n");
    env.put("POSTROOM_TOKEN_KEYS_FILE", keys.toString());
    env.put("POSTROOM_BOUNCES_IMAP_HOST", "imap.example.gov.in");
    env.put("POSTROOM_BOUNCES_IMAP_USERNAME", "bounces");
    env.put("POSTROOM_BOUNCES_IMAP_PASSWORD", "s3cret");
  }

  private static JsonObject bounces(JsonObject section) {
    return new JsonObject().put("bounces", section);
  }

  @Test
  void theDefaultsAreStarttlsOn143AndTheDocumentedFoldersAndLimits() {
    BouncesConfig config = BouncesConfig.read(new JsonObject(), env);

    assertThat(config.imap().tls()).isEqualTo(ImapTls.STARTTLS);
    assertThat(config.imap().port()).isEqualTo(143);
    assertThat(config.imap().folder()).isEqualTo("INBOX");
    assertThat(config.processedFolder()).isEqualTo("Postroom.Processed");
    assertThat(config.asideFolder()).isEqualTo("Postroom.Unparseable");
    assertThat(config.unknownGrace()).isEqualTo(Duration.ofHours(1));
    assertThat(config.softBounceLimit()).isEqualTo(3);
    assertThat(config.softBounceWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(config.httpPort()).isEqualTo(8082);
    assertThat(config.kafka().statusTopic()).isEqualTo("mail.status");
    assertThat(config.kafka().suppressionsTopic()).isEqualTo("mail.suppressions");
  }

  @Test
  void implicitTlsDefaultsTo993() {
    env.put("POSTROOM_BOUNCES_IMAP_TLS", "implicit");

    assertThat(BouncesConfig.read(new JsonObject(), env).imap().port()).isEqualTo(993);
  }

  @Test
  void thereIsNoClearTextImap() {
    assertThatThrownBy(() -> BouncesConfig.read(bounces(new JsonObject().put("imap", new JsonObject().put("tls", "none"))),
        env)).isInstanceOf(ConfigException.class).hasMessageContaining("bounces.imap.tls")
        .hasMessageContaining("starttls, implicit");
  }

  @Test
  void thePasswordPrintsAsStars() {
    BouncesConfig config = BouncesConfig.read(new JsonObject(), env);

    assertThat(config.imap().toString()).contains("***").doesNotContain("s3cret");
    assertThat(config.imap().password().reveal()).isEqualTo("s3cret");
  }

  @Test
  void thePasswordFileIsReadWithoutItsTrailingNewline() throws IOException {
    env.remove("POSTROOM_BOUNCES_IMAP_PASSWORD");
    env.put("POSTROOM_BOUNCES_IMAP_PASSWORD_FILE", Files.writeString(dir.resolve("pw"), "from-file\n").toString());

    assertThat(BouncesConfig.read(new JsonObject(), env).imap().password().reveal()).isEqualTo("from-file");
  }

  @Test
  void aMissingPasswordNamesBothVariables() {
    env.remove("POSTROOM_BOUNCES_IMAP_PASSWORD");

    assertThatThrownBy(() -> BouncesConfig.read(new JsonObject(), env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("POSTROOM_BOUNCES_IMAP_PASSWORD_FILE");
  }

  @Test
  void withoutTokenKeysNoBounceCanBeTrusted() {
    env.remove("POSTROOM_TOKEN_KEYS_FILE");

    assertThatThrownBy(() -> BouncesConfig.read(new JsonObject(), env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("compliance.tokenKeysFile");
  }

  @Test
  void theSoftBounceWindowMayBeWrittenInDays() {
    BouncesConfig config = BouncesConfig.read(bounces(new JsonObject().put("softBounceWindow", "14d")), env);

    assertThat(config.softBounceWindow()).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> BouncesConfig.read(bounces(new JsonObject().put("softBounceLimit", "many")), env))
        .isInstanceOf(ConfigException.class).hasMessageContaining("bounces.softBounceLimit");
    assertThatThrownBy(() -> BouncesConfig.read(bounces(new JsonObject().put("pollInterval", "soon")), env))
        .isInstanceOf(ConfigException.class).hasMessageContaining("bounces.pollInterval");
  }

  @Test
  void theProcessedFolderMustNotBeTheFolderThatIsRead() {
    assertThatThrownBy(() -> BouncesConfig.read(bounces(new JsonObject().put("processedFolder", "INBOX")), env))
        .isInstanceOf(ConfigException.class).hasMessageContaining("three different folders");
  }

  @Test
  void anUnreadableTrustPemIsRefused() {
    env.put("POSTROOM_BOUNCES_IMAP_TRUST_PEM", dir.resolve("missing.pem").toString());

    assertThatThrownBy(() -> BouncesConfig.read(new JsonObject(), env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("POSTROOM_BOUNCES_IMAP_TRUST_PEM");
  }
}
