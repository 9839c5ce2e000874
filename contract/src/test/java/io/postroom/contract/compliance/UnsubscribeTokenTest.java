package io.postroom.contract.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A one-click link's token: opaque, unforgeable, and still valid after a key rotation. */
class UnsubscribeTokenTest {
  private static final TokenKeys OLD = TokenKeys.parse("k1 " + TokenKeysTest.SECRET_A);
  private static final TokenKeys ROTATED = TokenKeys.parse("k2 " + TokenKeysTest.SECRET_B + "\nk1 " + TokenKeysTest.SECRET_A);
  private static final TokenKeys NEW_ONLY = TokenKeys.parse("k2 " + TokenKeysTest.SECRET_B);
  private static final UnsubscribeToken ASHA = new UnsubscribeToken("pensions", "statements", "Asha@Example.org");

  @Test
  void aSealedTokenOpensToTheTenantStreamAndAddress() {
    String token = ASHA.seal(OLD);

    assertThat(UnsubscribeToken.open(OLD, token))
        .contains(new UnsubscribeToken("pensions", "statements", "asha@example.org"));
  }

  @Test
  void theTokenIsOpaqueAndUrlSafe() {
    String token = ASHA.seal(OLD);

    assertThat(token).startsWith("k1.").matches("[A-Za-z0-9._-]+").doesNotContain("asha").doesNotContain("pensions");
  }

  @Test
  void anAlteredTokenOpensToNothing() {
    String token = ASHA.seal(OLD);
    char last = token.charAt(token.length() - 5);
    String altered = token.substring(0, token.length() - 5) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);

    assertThat(UnsubscribeToken.open(OLD, altered)).isEmpty();
    assertThat(UnsubscribeToken.open(OLD, "k1.AAAA")).isEmpty();
    assertThat(UnsubscribeToken.open(OLD, "nonsense")).isEmpty();
    assertThat(UnsubscribeToken.open(OLD, "k9." + token.substring(3))).isEmpty();
  }

  @Test
  void aTokenSealedWithAnotherSecretUnderTheSameIdOpensToNothing() {
    String forged = ASHA.seal(TokenKeys.parse("k1 " + TokenKeysTest.SECRET_B));

    assertThat(UnsubscribeToken.open(OLD, forged)).isEmpty();
  }

  @Test
  void afterARotationOldLinksStillWorkAndNewOnesUseTheNewKey() {
    String old = ASHA.seal(OLD);
    String fresh = ASHA.seal(ROTATED);

    assertThat(fresh).startsWith("k2.");
    assertThat(UnsubscribeToken.open(ROTATED, old)).isPresent();
    assertThat(UnsubscribeToken.open(ROTATED, fresh)).isPresent();
    // once the old key is dropped, its links stop working
    assertThat(UnsubscribeToken.open(NEW_ONLY, old)).isEmpty();
  }

  @Test
  void withoutAStreamTheTokenCoversEveryStream() {
    UnsubscribeToken all = new UnsubscribeToken("pensions", null, "asha@example.org");

    assertThat(all.stream()).isEqualTo(Suppression.ANY_STREAM);
    assertThat(all.suppression(Instant.EPOCH, "one-click").key()).isEqualTo("pensions|*|asha@example.org");
  }

  @Test
  void aTenantWithTheKeySeparatorIsRefused() {
    assertThatThrownBy(() -> new UnsubscribeToken("a|b", null, "x@example.org")).hasMessageContaining("'|'");
  }
}
