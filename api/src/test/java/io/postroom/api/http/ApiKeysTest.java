package io.postroom.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

  private static final String ACME_KEY = "pr_acme-secret-key";
  private static final String GLOBEX_KEY = "pr_globex-secret-key";

  @Test
  void aKeyWhoseHashIsConfiguredMapsToItsTenant() {
    ApiKeys keys = new ApiKeys(Map.of("acme", List.of(ApiKeys.hash(ACME_KEY))));

    assertThat(keys.tenantOf(ACME_KEY)).contains("acme");
  }

  @Test
  void anyOfSeveralKeysOfATenantMapsToThatTenant() {
    ApiKeys keys = new ApiKeys(Map.of("acme", List.of(ApiKeys.hash("pr_old"), ApiKeys.hash("pr_new"))));

    assertThat(keys.tenantOf("pr_old")).contains("acme");
    assertThat(keys.tenantOf("pr_new")).contains("acme");
  }

  @Test
  void anUnknownKeyMapsToNoTenant() {
    ApiKeys keys = new ApiKeys(Map.of("acme", List.of(ApiKeys.hash(ACME_KEY))));

    assertThat(keys.tenantOf("pr_someone-guessing")).isEmpty();
  }

  @Test
  void anEmptyKeyMapsToNoTenant() {
    ApiKeys keys = new ApiKeys(Map.of("acme", List.of(ApiKeys.hash(ACME_KEY))));

    assertThat(keys.tenantOf("")).isEmpty();
  }

  @Test
  void aMissingKeyMapsToNoTenant() {
    ApiKeys keys = new ApiKeys(Map.of("acme", List.of(ApiKeys.hash(ACME_KEY))));

    assertThat(keys.tenantOf(null)).isEmpty();
  }

  @Test
  void theStoredHashItselfIsNotAcceptedAsAKey() {
    String stored = ApiKeys.hash(ACME_KEY);
    ApiKeys keys = new ApiKeys(Map.of("acme", List.of(stored)));

    assertThat(keys.tenantOf(stored)).isEmpty();
  }

  @Test
  void noTenantsMeansNoKeyIsAccepted() {
    assertThat(new ApiKeys(Map.of()).tenantOf(ACME_KEY)).isEmpty();
  }

  @Test
  void aKeyFromAnotherTenantIsNotMistakenForThisOne() {
    ApiKeys keys = new ApiKeys(Map.of(
        "acme", List.of(ApiKeys.hash(ACME_KEY)),
        "globex", List.of(ApiKeys.hash(GLOBEX_KEY))));

    assertThat(keys.tenantOf(ACME_KEY)).contains("acme");
    assertThat(keys.tenantOf(GLOBEX_KEY)).contains("globex");
  }

  @Test
  void hashIsSha256PrefixFollowedBy64LowerCaseHexDigits() {
    assertThat(ApiKeys.hash(ACME_KEY)).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void hashOfAKnownInputIsItsSha256() {
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void hashIsStable() {
    assertThat(ApiKeys.hash(ACME_KEY)).isEqualTo(ApiKeys.hash(ACME_KEY));
  }

  @Test
  void differentKeysHaveDifferentHashes() {
    assertThat(ApiKeys.hash(ACME_KEY)).isNotEqualTo(ApiKeys.hash(GLOBEX_KEY));
  }

  @Test
  void aGeneratedKeyIsPrefixedAnd46CharactersOfUrlSafeBase64() {
    String key = ApiKeys.generate();

    assertThat(key).startsWith("pr_").hasSize(46);
    assertThat(key.substring(3)).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void generatedKeysAreDistinct() {
    Set<String> generated = IntStream.range(0, 100).mapToObj(i -> ApiKeys.generate()).collect(Collectors.toSet());

    assertThat(generated).hasSize(100);
  }

  @Test
  void aGeneratedKeyIsAcceptedOnceItsHashIsConfigured() {
    String key = ApiKeys.generate();
    ApiKeys keys = new ApiKeys(Map.of("acme", List.of(ApiKeys.hash(key))));

    assertThat(keys.tenantOf(key)).contains("acme");
  }

  @Test
  void parseGivesThe32BytesOfAStoredHash() {
    assertThat(ApiKeys.parse(ApiKeys.hash(ACME_KEY))).hasSize(32);
  }

  @Test
  void parseRejectsAHashWithoutItsPrefix() {
    String bare = ApiKeys.hash(ACME_KEY).substring("sha256:".length());

    assertThatThrownBy(() -> ApiKeys.parse(bare))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sha256:' followed by 64 hex digits");
  }

  @Test
  void parseRejectsAHashOfTheWrongLength() {
    String tooShort = ApiKeys.hash(ACME_KEY).substring(0, "sha256:".length() + 63);

    assertThatThrownBy(() -> ApiKeys.parse(tooShort))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sha256:' followed by 64 hex digits");
  }

  @Test
  void parseRejectsAHashThatIsTooLong() {
    assertThatThrownBy(() -> ApiKeys.parse(ApiKeys.hash(ACME_KEY) + "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sha256:' followed by 64 hex digits");
  }

  @Test
  void parseRejectsAHashWithNonHexDigits() {
    String nonHex = "sha256:" + "g".repeat(64);

    assertThatThrownBy(() -> ApiKeys.parse(nonHex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sha256:' followed by 64 hex digits");
  }

  @Test
  void parseRejectsNull() {
    assertThatThrownBy(() -> ApiKeys.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sha256:' followed by 64 hex digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sha256:", "md5:0123", "SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"})
  void aMalformedHashIsRejectedWhenTheKeysAreBuilt(String malformed) {
    assertThatThrownBy(() -> new ApiKeys(Map.of("acme", List.of(malformed))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
