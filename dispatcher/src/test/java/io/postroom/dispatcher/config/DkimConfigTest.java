package io.postroom.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimConfigTest {
  @TempDir
  Path dir;

  private PostroomConfig load(String json) throws IOException {
    Path file = Files.writeString(dir.resolve("postroom.json"), json);
    return ConfigLoader.load(Map.of("POSTROOM_CONFIG", file.toString()));
  }

  @Test
  void aTenantsDkimBlockNamesItsKeysAndSendsUnsignedByDefault() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));

    PostroomConfig config = load("{\"tenants\": {\"billing\": {\"dkim\": {\"keysDir\": \"" + keys + "\"}}}}");

    assertThat(config.tenant("billing").dkim()).isEqualTo(new TenantDkim(keys, TenantDkim.WhenMissing.SEND));
    assertThat(config.tenant("other").dkim()).isNull();
    assertThat(config.dkimRescanInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void whenMissingRejectAndTheRescanIntervalAreRead() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));

    PostroomConfig config = load("{\"dkim\": {\"rescanInterval\": \"5s\"}, \"tenants\": {\"billing\": {\"dkim\":"
        + " {\"keysDir\": \"" + keys + "\", \"whenMissing\": \"reject\"}}}}");

    assertThat(config.tenant("billing").dkim().whenMissing()).isEqualTo(TenantDkim.WhenMissing.REJECT);
    assertThat(config.dkimRescanInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aBadWhenMissingNamesItsKey() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));

    assertThatThrownBy(() -> load("{\"tenants\": {\"billing\": {\"dkim\": {\"keysDir\": \"" + keys
        + "\", \"whenMissing\": \"drop\"}}}}"))
        .hasMessage("tenants.billing.dkim.whenMissing: 'drop' is not one of: send, reject");
  }

  @Test
  void aMissingKeysDirectoryNamesItsKey() {
    assertThatThrownBy(() -> load("{\"tenants\": {\"billing\": {\"dkim\": {\"keysDir\": \"/nonexistent/dkim\"}}}}"))
        .hasMessage("tenants.billing.dkim.keysDir: cannot read directory /nonexistent/dkim");
  }

  @Test
  void anUnknownKeyOfTheDkimBlockIsNamed() throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));

    assertThatThrownBy(() -> load("{\"tenants\": {\"billing\": {\"dkim\": {\"keysDir\": \"" + keys
        + "\", \"selector\": \"s1\"}}}}"))
        .hasMessageStartingWith("tenants.billing.dkim.selector: is not a key");
  }

  @Test
  void aRescanIntervalOfZeroIsRefused() throws IOException {
    assertThatThrownBy(() -> load("{\"dkim\": {\"rescanInterval\": \"0s\"}}"))
        .hasMessageStartingWith("dkim.rescanInterval: must be longer than zero");
  }
}
