package io.postroom.api.http;

import io.postroom.contract.cli.Cli;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/postroom api-key TENANT}: a new API key for a tenant, and the hash that goes into the api's configuration. */
@Command(name = "bin/postroom api-key",
    description = {"Prints a new API key for TENANT (give it to the tenant; it is not stored anywhere) and its",
        "hash, to put in tenants.TENANT.apiKeys in POSTROOM_CONFIG. Several hashes allow rotation.", ""})
public final class ApiKeyCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "TENANT", description = "the tenant the key is for, as named under tenants in the configuration")
  private String tenant;

  public static void main(String[] args) {
    Cli.exit(new ApiKeyCommand(), args);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String key = ApiKeys.generate();
    out.println("API key for tenant " + tenant + " (give it to the tenant; it is not stored anywhere):");
    out.println("  " + key);
    out.println("its hash, for tenants." + tenant + ".apiKeys in POSTROOM_CONFIG:");
    out.println("  " + ApiKeys.hash(key));
    return Cli.OK;
  }
}
