package io.postroom.loadtest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A benchmarked dispatcher starts as {@code bin/postroom dispatcher} starts one (and as the image
 * does): on its production class path, with the class-data sharing archive {@code bin/postroom build} made,
 * so that the cold figures are what a new pod sees. Without the archive (a build that could not
 * make one), the dispatcher starts with the bench's own class path.
 */
final class ClassDataSharing {
  private ClassDataSharing() {
  }

  static List<String> jvmOptions() {
    Path home = Path.of(System.getProperty("postroom.home", "."));
    Path target = home.resolve("dispatcher/target");
    Path archive = target.resolve("postroom-dispatcher.jsa");
    Path dependencies = target.resolve("classpath.txt");
    if (!Files.isReadable(archive) || !Files.isReadable(dependencies)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(target)) {
      Path jar = files.filter(file -> file.getFileName().toString().matches("postroom-dispatcher-.*\\.jar"))
          .findFirst().orElse(null);
      if (jar == null) {
        return List.of();
      }
      // bin/postroom's class path for the dispatcher, the archive's: its jar, then its dependencies
      String classpath = jar.toAbsolutePath() + ":" + Files.readString(dependencies).trim();
      return List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-cp", classpath);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
