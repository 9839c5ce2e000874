package io.postroom.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.http.ApiKeyCommand;
import io.postroom.api.http.ApiMain;
import io.postroom.bounces.BouncesMain;
import io.postroom.contract.cli.CommandRun;
import io.postroom.contract.cli.Version;
import io.postroom.dispatcher.Main;
import io.postroom.dispatcher.redrive.RedriveCommand;
import io.postroom.loadtest.baseline.BaselineMain;
import io.postroom.loadtest.bench.Bench;
import io.postroom.loadtest.cds.ClassListRecorder;
import io.postroom.loadtest.demo.Demo;
import io.postroom.loadtest.load.LoadCommand;
import io.postroom.loadtest.relay.RelaySimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/cli.md shows each command's usage as its {@code --help} prints it. With
 * {@code -Dpostroom.cli.write=true} the test writes them there instead of comparing.
 */
class CliReferenceTest {
  private static final Path DOC = Path.of("../docs/cli.md");
  /** A marker and the block that follows it, if there is one yet. */
  private static final Pattern BLOCK = Pattern.compile("<!-- help: ([a-z -]+) -->\\n(?:\\n```text\\n.*?```\\n)?",
      Pattern.DOTALL);

  private static Map<String, Object> commands() {
    Map<String, Object> commands = new LinkedHashMap<>();
    commands.put("dispatcher", new Main());
    commands.put("api", new ApiMain());
    commands.put("api-key", new ApiKeyCommand());
    commands.put("bounces", new BouncesMain());
    commands.put("redrive", new RedriveCommand(Map.of()));
    commands.put("demo", new Demo());
    commands.put("load", new LoadCommand(Map.of()));
    commands.put("relay-sim", new RelaySimulator.Options());
    commands.put("bench", new Bench(Path.of(".")));
    commands.put("bench baseline", new BaselineMain());
    commands.put("cds-classlist", new ClassListRecorder());
    commands.put("version", new Version());
    return commands;
  }

  private static String documented(String text) {
    Map<String, Object> commands = commands();
    Matcher blocks = BLOCK.matcher(text);
    StringBuilder doc = new StringBuilder();
    while (blocks.find()) {
      String name = blocks.group(1);
      Object command = commands.remove(name);
      assertThat(command).as("a command named '" + name + "' in docs/cli.md").isNotNull();
      CommandRun help = CommandRun.of(command, "--help");
      assertThat(help.exitCode()).isZero();
      blocks.appendReplacement(doc, Matcher.quoteReplacement("<!-- help: " + name + " -->\n\n```text\n"
          + help.out().stripTrailing().lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("")
          + "\n```\n"));
    }
    blocks.appendTail(doc);
    assertThat(commands.keySet()).as("commands without their usage in docs/cli.md").isEmpty();
    return doc.toString();
  }

  @Test
  void theReferenceShowsEveryCommandsUsageAsItsHelpPrintsIt() throws IOException {
    String text = Files.readString(DOC);
    String expected = documented(text);

    if (Boolean.getBoolean("postroom.cli.write")) {
      Files.writeString(DOC, expected);
    } else {
      assertThat(text).as("docs/cli.md; rewrite it with -Dpostroom.cli.write=true").isEqualTo(expected);
    }
  }
}
