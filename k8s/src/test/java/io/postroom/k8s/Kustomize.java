package io.postroom.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code kubectl kustomize DIR}, offline, and its output as one JSON tree per document. */
final class Kustomize {
  static final YAMLMapper YAML = new YAMLMapper();

  private Kustomize() {
  }

  /** kubectl from the PATH, or null when there is none. */
  static String kubectl() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** The documents kustomize renders from {@code dir}; its stderr is the message when it fails. */
  static List<JsonNode> render(Path dir) {
    String kubectl = kubectl();
    if (kubectl == null) {
      throw new IllegalStateException("kubectl is not on the PATH");
    }
    try {
      Path stderr = Files.createTempFile("kustomize", ".err");
      try {
        Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
            .redirectError(stderr.toFile())
            .start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n"
              + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return documents(new String(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<JsonNode> documents(String yaml) {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }
}
