package io.postroom.contract.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The token keys file: the first key signs, every listed key is accepted, secrets are never shown. */
class TokenKeysTest {
  static final String SECRET_A = Base64.getEncoder().encodeToString("a".repeat(32).getBytes());
  static final String SECRET_B = Base64.getEncoder().encodeToString("b".repeat(32).getBytes());

  @Test
  void theFirstListedKeySignsAndCommentsAndBlankLinesAreSkipped() {
    TokenKeys keys = TokenKeys.parse("# rotated 2026-12\n\nk2 " + SECRET_B + "\nk1 " + SECRET_A + "\n");

    assertThat(keys.currentId()).isEqualTo("k2");
    assertThat(keys.ids()).containsExactly("k2", "k1");
  }

  @Test
  void aShortSecretIsRefusedNamingTheLineNotTheSecret() {
    String shortSecret = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> TokenKeys.parse("k1 " + shortSecret))
        .hasMessageContaining("line 1").hasMessageContaining("at least 32").hasMessageNotContaining(shortSecret);
  }

  @Test
  void aBadIdOrADuplicateOrNoKeyAtAllIsRefused() {
    assertThatThrownBy(() -> TokenKeys.parse("Key-1 " + SECRET_A)).hasMessageContaining("line 1");
    assertThatThrownBy(() -> TokenKeys.parse("k1 " + SECRET_A + "\nk1 " + SECRET_B)).hasMessageContaining("twice");
    assertThatThrownBy(() -> TokenKeys.parse("# nothing\n")).hasMessageContaining("no key");
    assertThatThrownBy(() -> TokenKeys.parse("k1 not*base64")).hasMessageContaining("not base64");
  }

  @Test
  void toStringNamesTheIdsOnly() {
    assertThat(TokenKeys.parse("k1 " + SECRET_A).toString()).isEqualTo("TokenKeys[k1]").doesNotContain(SECRET_A);
  }
}
