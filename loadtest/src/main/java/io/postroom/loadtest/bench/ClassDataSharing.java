package io.postroom.loadtest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A benchmarked dispatcher starts as {@code bin/postroom dispatcher} starts one (and as the image
 * does): from the jars alone, with the class-data sharing archive {@code bin/postroom build} made,
 * so that the cold figures are what a new pod sees. Without the archive (a build that could not
 * make one), the dispatcher starts with the bench's own class path.
 */
final class ClassDataSharing {
  private ClassDataSharing() {
  }

  static List<String> jvmOptions() {
    Path home = Path.of(System.getProperty("postroom.home", "."));
    Path archive = home.resolve("dispatcher/target/postroom-dispatcher.jsa");
    Path classpath = home.resolve("loadtest/target/classpath.txt");
    if (!Files.isReadable(archive) || !Files.isReadable(classpath)) {
      return List.of();
    }
    try {
      String jars = Arrays.stream(Files.readString(classpath).trim().split(":"))
          .filter(entry -> entry.endsWith(".jar")).collect(Collectors.joining(":"));
      return List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-cp", jars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
