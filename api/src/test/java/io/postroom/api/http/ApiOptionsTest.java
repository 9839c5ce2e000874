package io.postroom.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.contract.cli.CommandRun;
import org.junit.jupiter.api.Test;

/** The options of {@code bin/postroom api} and {@code api-key}; nothing here starts the api. */
class ApiOptionsTest {

  @Test
  void apiHelpSaysWhereTheConfigurationComesFromAndTheExitCodes() {
    CommandRun run = CommandRun.of(new ApiMain(), "-h");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("usage: bin/postroom api").contains("POSTROOM_CONFIG", "POSTROOM_API_PORT",
        "Exit codes");
  }

  @Test
  void anUnknownOptionOfTheApiIsOneLineNamingItAndExit2() {
    assertThat(CommandRun.refusal(new ApiMain(), "--port", "8080")).isEqualTo("postroom api: unknown option '--port'");
  }

  @Test
  void apiKeyPrintsAKeyAndTheHashForTheTenantsConfiguration() {
    CommandRun run = CommandRun.of(new ApiKeyCommand(), "billing");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().toList()).hasSize(4)
        .satisfies(lines -> assertThat(lines.get(2)).isEqualTo("its hash, for tenants.billing.apiKeys in POSTROOM_CONFIG:"))
        .satisfies(lines -> assertThat(lines.get(3).strip()).isEqualTo(ApiKeys.hash(lines.get(1).strip())));
  }

  @Test
  void apiKeyWithoutATenantNamesWhatIsMissing() {
    assertThat(CommandRun.refusal(new ApiKeyCommand())).startsWith("postroom api-key: missing required")
        .contains("TENANT");
  }
}
