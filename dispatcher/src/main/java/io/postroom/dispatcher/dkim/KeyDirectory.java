package io.postroom.dispatcher.dkim;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One tenant's key directory: {@code <keysDir>/<domain>/<selector>.pem}. A domain signs with its
 * greatest selector name in sort order ({@code s2026-12} after {@code s2026-06}), so a new key is
 * taken into use by writing a file with a greater name. Names starting with a dot are skipped:
 * Kubernetes mounts a Secret as {@code ..data} and {@code ..<timestamp>} entries, with the visible
 * names as symbolic links through {@code ..data}, which an update swaps; a scan follows the links,
 * so it sees the new files. Blocking.
 */
final class KeyDirectory {
  private KeyDirectory() {
  }

  /** What a scan found: the key per domain, and sentences about the files it could not use. */
  record Scan(Map<String, DkimKey> keys, List<String> problems) {
  }

  /**
   * @param previous what the last scan found: a domain whose newest file cannot be used keeps its
   *     key from there (and a problem is reported); a file unchanged since then is not parsed again
   */
  static Scan scan(Path keysDir, Map<String, DkimKey> previous) {
    Map<String, DkimKey> keys = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    List<Path> domains;
    try {
      domains = visible(keysDir).stream().filter(Files::isDirectory).toList();
    } catch (IOException e) {
      problems.add("cannot read DKIM key directory " + keysDir + " (" + e.getClass().getSimpleName() + ")");
      return new Scan(Map.copyOf(previous), problems);
    }
    for (Path dir : domains) {
      String domain = dir.getFileName().toString().toLowerCase(Locale.ROOT);
      Path newest;
      try {
        newest = visible(dir).stream()
            .filter(file -> file.getFileName().toString().endsWith(".pem") && Files.isRegularFile(file))
            .max(Comparator.comparing(file -> file.getFileName().toString()))
            .orElse(null);
      } catch (IOException e) {
        problems.add("cannot read DKIM key directory " + dir + " (" + e.getClass().getSimpleName() + ")");
        keep(keys, previous, domain);
        continue;
      }
      if (newest == null) {
        continue;
      }
      String name = newest.getFileName().toString();
      try {
        DkimKey read = KeyFile.read(newest, domain, name.substring(0, name.length() - ".pem".length()));
        DkimKey before = previous.get(domain);
        keys.put(domain, read.sameAs(before) ? before : read);
      } catch (KeyFile.Refused refused) {
        problems.add(refused.getMessage());
        keep(keys, previous, domain);
      }
    }
    return new Scan(Map.copyOf(keys), problems);
  }

  private static void keep(Map<String, DkimKey> keys, Map<String, DkimKey> previous, String domain) {
    if (previous.containsKey(domain)) {
      keys.put(domain, previous.get(domain));
    }
  }

  private static List<Path> visible(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        if (!entry.getFileName().toString().startsWith(".")) {
          entries.add(entry);
        }
      }
    }
    return entries;
  }
}
