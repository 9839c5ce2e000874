package io.postroom.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Facts the manifests must agree with, read from the repository itself: defaults in the code,
 * the documented partition count, the monitoring files. Read from the sources rather than copied
 * into the test, so that a change there fails this test instead of drifting silently; each
 * pattern's failure message says where to look.
 */
final class Repository {
  static final Path MODULE = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  static final Path ROOT = MODULE.getParent();

  static final Path CONFIG_LOADER = ROOT.resolve("dispatcher/src/main/java/io/postroom/dispatcher/config/ConfigLoader.java");
  static final Path DISPATCHER_MAIN = ROOT.resolve("dispatcher/src/main/java/io/postroom/dispatcher/Main.java");
  static final Path API_CONFIG = ROOT.resolve("api/src/main/java/io/postroom/api/http/ApiConfig.java");
  static final Path BOUNCES_CONFIG = ROOT.resolve("bounces/src/main/java/io/postroom/bounces/config/BouncesConfig.java");
  /** The kafka section both processes read. */
  static final Path KAFKA_SECTION = ROOT.resolve("contract/src/main/java/io/postroom/contract/config/KafkaSection.java");
  /** Where the code that runs in production lives: the metric names are looked for here. */
  static final List<Path> PRODUCTION_SOURCES = List.of(ROOT.resolve("contract/src/main"), ROOT.resolve("api/src/main"),
      ROOT.resolve("dispatcher/src/main"), ROOT.resolve("bounces/src/main"));
  /**
   * Everything that may read a variable: every module's sources (main and test), the command line,
   * the scripts, CI, the image and the manifests. Markdown is documentation, not a reader.
   */
  static final List<Path> SOURCES = List.of(ROOT.resolve("contract/src"), ROOT.resolve("api/src"),
      ROOT.resolve("dispatcher/src"), ROOT.resolve("bounces/src"), ROOT.resolve("testkit/src"),
      ROOT.resolve("testkit/postfix"), ROOT.resolve("testkit/dovecot"), ROOT.resolve("loadtest/src"), ROOT.resolve("loadtest/gatling.sh"),
      ROOT.resolve("loadtest/api-ingest.py"), ROOT.resolve("bin"), ROOT.resolve(".ci"), ROOT.resolve("Dockerfile"),
      ROOT.resolve("k8s/base"), ROOT.resolve("k8s/overlays"), ROOT.resolve("k8s/components"));
  static final Path ALERTS = ROOT.resolve("monitoring/postroom-alerts.yml");
  static final Path DASHBOARD = ROOT.resolve("monitoring/postroom-grafana.json");
  static final Path DASHBOARD_COPY = MODULE.resolve("base/monitoring/postroom-grafana.json");
  static final Path README = ROOT.resolve("README.md");
  static final Path DOCS = ROOT.resolve("docs");
  static final Path KUBERNETES_DOC = DOCS.resolve("kubernetes.md");

  /** Durations as the dispatcher reads them: "250ms", "10s", "5m", "1h" or a number of milliseconds. */
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private Repository() {
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile dockerfile() {
    return Dockerfile.read(ROOT.resolve("Dockerfile"));
  }

  /** POSTROOM_HTTP_PORT's default, from ConfigLoader.httpPort. */
  static int dispatcherDefaultHttpPort() {
    return Integer.parseInt(find(CONFIG_LOADER,
        "private static int httpPort\\(String key, Object value\\) \\{.*?return port\\(key, value, (\\d+)\\);", 1));
  }

  /** POSTROOM_BOUNCES_HTTP_PORT's default, from BouncesConfig. */
  static int bouncesDefaultHttpPort() {
    return Integer.parseInt(find(BOUNCES_CONFIG, "DEFAULT_HTTP_PORT = (\\d+);", 1));
  }

  /** POSTROOM_API_PORT's default, from ApiConfig.load. */
  static int apiDefaultPort() {
    return Integer.parseInt(find(API_CONFIG, "\"api\\.port\", port, (\\d+),", 1));
  }

  /** dispatch.shutdownDeadline's default, from ConfigLoader.dispatch. */
  static Duration defaultShutdownDeadline() {
    Matcher m = matcher(CONFIG_LOADER, "duration\\(\"dispatch\\.shutdownDeadline\", json\\.getValue\\(\"shutdownDeadline\"\\),"
        + " Duration\\.of(Millis|Seconds|Minutes)\\((\\d+)\\)\\)");
    long n = Long.parseLong(m.group(2));
    return switch (m.group(1)) {
      case "Millis" -> Duration.ofMillis(n);
      case "Seconds" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }

  /** How long Main gives the Kafka clients and mail pools after the drain deadline. */
  static Duration closeGrace() {
    return Duration.ofSeconds(Long.parseLong(find(DISPATCHER_MAIN, "CLOSE_GRACE = Duration.ofSeconds\\((\\d+)\\);", 1)));
  }

  /** The partitions of mail.jobs, as docs/kubernetes.md (Before the first apply) creates the topic. */
  static int jobsPartitions() {
    return Integer.parseInt(find(KUBERNETES_DOC, "--topic mail\\.jobs --partitions (\\d+)", 1));
  }

  /** Every field name the dispatcher reads from its config file (ConfigLoader's getValue, k.of, ...). */
  static Set<String> dispatcherConfigKeys() {
    Set<String> keys = names(CONFIG_LOADER, "getValue\\(\"(\\w+)\"\\)", "getJson(?:Object|Array)\\(\"(\\w+)\"", "k\\.of\\(\"\\w+\", \"(\\w+)\"\\)");
    keys.addAll(kafkaSectionKeys());
    return keys;
  }

  /** Every field name of the shared kafka section (KafkaSection's getValue, object and Source.of). */
  static Set<String> kafkaSectionKeys() {
    return names(KAFKA_SECTION, "getValue\\(\"(\\w+)\"\\)", "object\\(\\w+, \"(\\w+)\"",
        "Source\\.of\\(env, \"\\w+\", \\w+, \"(\\w+)\"");
  }

  /** The dispatcher's config fields that are durations. */
  static Set<String> dispatcherDurationKeys() {
    Set<String> keys = names(CONFIG_LOADER, "duration\\([^;]*?json\\.getValue\\(\"(\\w+)\"\\)");
    keys.addAll(names(KAFKA_SECTION, "duration\\(Source\\.of\\(env, \"\\w+\", \\w+, \"(\\w+)\""));
    return keys;
  }

  /** Every field name the api reads from its config file (ApiConfig's getValue and object). */
  static Set<String> apiConfigKeys() {
    Set<String> keys = names(API_CONFIG, "getValue\\(\"(\\w+)\"\\)", "object\\(\\w+, \"(\\w+)\"");
    keys.addAll(kafkaSectionKeys());
    return keys;
  }

  /** Every field name the bounce reader reads from its config file (BouncesConfig's getValue, object, Source.of). */
  static Set<String> bouncesConfigKeys() {
    Set<String> keys = names(BOUNCES_CONFIG, "getValue\\(\"(\\w+)\"\\)", "object\\(\\w+, \"(\\w+)\"",
        "Source\\.of\\(env, \"\\w+\", \\w+, \"(\\w+)\"");
    keys.addAll(kafkaSectionKeys());
    return keys;
  }

  /**
   * The dotted keys the config readers name in their errors ("dispatch.retryInitial",
   * "kafka.topics.jobs", "api.maxBatch"): the file's keys with their sections.
   */
  static Set<String> configKeyPaths() {
    Set<String> keys = new TreeSet<>();
    for (Path file : List.of(CONFIG_LOADER, API_CONFIG, KAFKA_SECTION, BOUNCES_CONFIG)) {
      keys.addAll(names(file, "\"((?:kafka|dispatch|api|http|bounces|compliance)\\.[A-Za-z.]+)\""));
    }
    return keys;
  }

  /** Every POSTROOM_* variable named anywhere in {@link #SOURCES}. */
  static Set<String> environmentVariables() {
    Set<String> names = new TreeSet<>();
    for (Path file : files(SOURCES)) {
      text(file).ifPresent(text -> {
        Matcher m = Pattern.compile("\\bPOSTROOM_[A-Z0-9_]*[A-Z0-9]\\b").matcher(text);
        while (m.find()) {
          names.add(m.group());
        }
      });
    }
    return names;
  }

  /** Every metric name the dispatcher and the api register: the "postroom_..." literals of the production code. */
  static Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    for (Path file : files(PRODUCTION_SOURCES)) {
      if (file.toString().endsWith(".java")) {
        Matcher m = Pattern.compile("\"(postroom_[a-z0-9_]+)\"").matcher(read(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    if (names.isEmpty()) {
      throw new AssertionError("no metric names found in " + PRODUCTION_SOURCES + ": did the code change shape?");
    }
    return names;
  }

  /**
   * The HTTP routes of the api and of the dispatcher's ops server, as "GET /v1/jobs/{id}": those of
   * every production source, since the api mounts some from classes of their own (the bulk sends').
   */
  static Set<String> routes() {
    Set<String> routes = new TreeSet<>();
    for (Path file : files(PRODUCTION_SOURCES)) {
      if (file.toString().endsWith(".java")) {
        Matcher m = Pattern.compile("router\\.(get|post|put|delete)\\(\"([^\"]+)\"\\)").matcher(read(file));
        while (m.find()) {
          routes.add(m.group(1).toUpperCase() + " " + m.group(2).replaceAll(":(\\w+)", "{$1}"));
        }
      }
    }
    if (!routes.containsAll(Set.of("GET /v1/jobs/{id}", "GET /health/ready"))) {
      throw new AssertionError("the api's routes were not found in " + PRODUCTION_SOURCES + ": did the code change shape?");
    }
    return routes;
  }

  /** The source file of a main class in the api or dispatcher module, if there is one with a main method. */
  static Optional<Path> mainClassSource(String className) {
    for (String module : new String[] {"api", "dispatcher", "bounces"}) {
      Path source = ROOT.resolve(module + "/src/main/java/" + className.replace('.', '/') + ".java");
      if (Files.isRegularFile(source) && read(source).contains("public static void main(String[] args)")) {
        return Optional.of(source);
      }
    }
    return Optional.empty();
  }

  static JsonNode alerts() {
    try {
      return Kustomize.YAML.readTree(ALERTS.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A duration as ConfigLoader.duration reads it; empty when it would refuse it. */
  static Optional<Duration> duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2) == null ? "ms" : m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    return d.isZero() ? Optional.empty() : Optional.of(d);
  }

  /** Regular files under the given files and folders, build output left out. */
  private static List<Path> files(List<Path> roots) {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        throw new AssertionError(ROOT.relativize(root) + " is gone: update Repository's list of sources");
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/target/"))
            .filter(f -> !f.toString().endsWith(".md")).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** A file's text; empty for one that is not UTF-8 text (a keystore, an image). */
  private static Optional<String> text(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (CharacterCodingException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> names(Path file, String... patterns) {
    String text = read(file);
    Set<String> names = new TreeSet<>();
    for (String pattern : patterns) {
      Matcher m = Pattern.compile(pattern, Pattern.DOTALL).matcher(text);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    if (names.isEmpty()) {
      throw new AssertionError("no config keys found in " + ROOT.relativize(file) + ": did its code change shape?");
    }
    return names;
  }

  private static String find(Path file, String pattern, int group) {
    return matcher(file, pattern).group(group);
  }

  private static Matcher matcher(Path file, String pattern) {
    Matcher m = Pattern.compile(pattern, Pattern.DOTALL).matcher(read(file));
    if (!m.find()) {
      throw new AssertionError(ROOT.relativize(file) + " no longer matches /" + pattern + "/: find the value"
          + " there and update this test (and the manifests, if the value changed)");
    }
    return m;
  }
}
