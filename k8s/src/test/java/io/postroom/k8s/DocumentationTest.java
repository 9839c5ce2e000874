package io.postroom.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reference in docs/ against the code it describes: every configuration key and variable the
 * code reads is in docs/configuration.md, every metric it registers and every route it serves is
 * in docs/metrics.md or docs/api.md, and every relative link of the README and docs/ leads to a
 * file and heading that exist. The names are read from the sources (Repository), so a key added
 * without its line in the docs fails here. A unit test: files only, no kubectl.
 */
class DocumentationTest {
  private static final Path CONFIGURATION = Repository.DOCS.resolve("configuration.md");
  private static final Path METRICS = Repository.DOCS.resolve("metrics.md");
  private static final Path API = Repository.DOCS.resolve("api.md");
  /** Linked from the README and docs/README.md, written on the CLI's branch (issue 14, section 4). */
  private static final Set<Path> WRITTEN_ELSEWHERE = Set.of(Repository.DOCS.resolve("cli.md").normalize());

  @Test
  void everyConfigFileKeyIsInConfigurationMd() {
    Set<String> documented = documentedKeys();
    Set<String> segments = new TreeSet<>();
    documented.forEach(key -> segments.addAll(List.of(key.replace("[]", "").split("\\."))));
    Set<String> fields = new TreeSet<>(Repository.dispatcherConfigKeys());
    fields.addAll(Repository.apiConfigKeys());
    fields.addAll(Repository.bouncesConfigKeys());

    assertThat(segments).as("the config file's fields the code reads, against the keys of docs/configuration.md's tables")
        .containsAll(fields);
    assertThat(Repository.configKeyPaths()).as("keys the config readers name, against docs/configuration.md")
        .allSatisfy(key -> assertThat(documented).as("documented keys")
            .anySatisfy(doc -> assertThat(doc.equals(key) || doc.startsWith(key + ".")).as(key).isTrue()));
  }

  @Test
  void everyPostroomVariableIsInConfigurationMd() {
    Set<String> documented = new TreeSet<>(Markdown.read(CONFIGURATION).firstColumnNames());
    documented.removeIf(name -> !name.startsWith("POSTROOM_"));
    Set<String> read = Repository.environmentVariables();

    assertThat(documented).as("POSTROOM_* variables in the first column of docs/configuration.md's tables")
        .containsAll(read);
    assertThat(read).as("variables docs/configuration.md documents that nothing reads any more").containsAll(documented);
  }

  @Test
  void everyMetricIsInMetricsMd() {
    Set<String> documented = new TreeSet<>(Markdown.read(METRICS).firstColumnNames());
    documented.removeIf(name -> !name.startsWith("postroom_"));
    Set<String> registered = Repository.metricNames();

    assertThat(documented).as("metrics in the first column of docs/metrics.md's tables").containsAll(registered);
    assertThat(registered).as("metrics docs/metrics.md documents that nothing registers any more").containsAll(documented);
  }

  @Test
  void everyRouteIsInMetricsMdOrApiMd() {
    String docs = Repository.read(METRICS) + Repository.read(API);

    assertThat(Repository.routes()).allSatisfy(route -> {
      String path = route.substring(route.indexOf(' ') + 1);
      assertThat(docs).as("docs/metrics.md or docs/api.md names %s", route)
          .containsPattern("`(" + route.substring(0, route.indexOf(' ')) + " )?" + Pattern.quote(path) + "[`?]");
    });
  }

  @Test
  void everyRelativeLinkLeadsToAFileAndHeadingThatExist() {
    List<String> broken = new ArrayList<>();
    for (Path file : documentation()) {
      Markdown doc = Markdown.read(file);
      for (String link : doc.relativeLinks()) {
        String target = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
        String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
        Path linked = target.isEmpty() ? file : file.getParent().resolve(target).normalize();
        if (!Files.exists(linked)) {
          if (!WRITTEN_ELSEWHERE.contains(linked)) {
            broken.add(Repository.ROOT.relativize(file) + ": " + link + " (no such file)");
          }
        } else if (!anchor.isEmpty() && !(linked.toString().endsWith(".md") && Markdown.read(linked).anchors().contains(anchor))) {
          broken.add(Repository.ROOT.relativize(file) + ": " + link + " (no such heading in " + Repository.ROOT.relativize(linked) + ")");
        }
      }
    }
    assertThat(broken).as("links of the README and docs/").isEmpty();
  }

  @Test
  void theLinkCheckerSeesLinksAndHeadingsAsGitHubDoes() {
    Markdown readme = Markdown.read(Repository.README);
    Markdown configuration = Markdown.read(CONFIGURATION);

    assertThat(readme.relativeLinks()).contains("docs/configuration.md", "docs/images/dashboard.png")
        .noneMatch(link -> link.startsWith("http"));
    assertThat(configuration.anchors()).contains("the-apis-keys", "variables-of-the-tools-and-the-tests");
  }

  /** The file keys of docs/configuration.md's tables, each written in full ("dispatch.retryInitial" / "retryMax" is two). */
  private static Set<String> documentedKeys() {
    Set<String> keys = new TreeSet<>();
    for (List<String> row : Markdown.read(CONFIGURATION).firstColumnRows()) {
      String section = "";
      for (String name : row) {
        if (name.startsWith("POSTROOM_")) {
          continue;
        }
        String key = name.contains(".") ? name : section + name;
        section = key.contains(".") ? key.substring(0, key.lastIndexOf('.') + 1) : "";
        keys.add(key);
      }
    }
    return keys;
  }

  /** README.md, docs/*.md and the READMEs of k8s/ and monitoring/. */
  private static List<Path> documentation() {
    List<Path> files = new ArrayList<>(List.of(Repository.README, Repository.ROOT.resolve("k8s/README.md"),
        Repository.ROOT.resolve("monitoring/README.md")));
    try (Stream<Path> docs = Files.list(Repository.DOCS)) {
      docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
