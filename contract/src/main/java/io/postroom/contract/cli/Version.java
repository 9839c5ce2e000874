package io.postroom.contract.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/postroom version}, and every command's {@code --version}: Postroom's version (the Maven
 * project's, written into {@code version.properties} by the build) and the Java that runs it.
 */
@Command(name = "bin/postroom version",
    description = {"Prints Postroom's version and the Java that runs it.", ""})
public final class Version implements IVersionProvider, Callable<Integer> {
  private static final String RESOURCE = "version.properties";

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    Cli.exit(new Version(), args);
  }

  /** The project's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String postroom() {
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown (no " + RESOURCE + " beside " + Version.class.getName() + ")";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The two lines of the version: Postroom's, then the Java runtime's. */
  public static String[] lines() {
    return new String[] {
        "postroom " + postroom(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
            + System.getProperty("java.vendor") + ")"};
  }

  @Override
  public String[] getVersion() {
    return lines();
  }

  @Override
  public Integer call() {
    for (String line : lines()) {
      spec.commandLine().getOut().println(line);
    }
    return Cli.OK;
  }
}
