package io.postroom.contract.template;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every tenant's registered templates, as read from {@code mail.templates} (fed record by record
 * through {@link #apply}, by a {@code TopicFollower} or a test), each version compiled once when
 * first asked for. Thread-safe: applied on the follower's thread, read anywhere.
 *
 * <p>Versions are immutable, so the <em>first</em> record of a key counts: a later record with the
 * same key and other content (two api replicas that chose the same next version at the same moment)
 * is ignored here, and the replica that wrote it answers a conflict and writes the first content
 * again under the key, so that compaction, which keeps the last record, keeps that one too.
 */
public final class RegisteredTemplates {
  /** {@code <tenant>/<name>} → version → template. */
  private final Map<String, NavigableMap<Integer, TemplateVersion>> byName = new ConcurrentHashMap<>();
  private final Map<String, MailTemplate> compiled = new ConcurrentHashMap<>();

  /**
   * One record of the templates topic: a version, or a tombstone (null value) that removes it.
   *
   * @return null, or why the record was skipped (for the caller's log)
   */
  public String apply(String key, byte[] value) {
    if (value == null) {
      remove(key);
      return null;
    }
    TemplateVersion version;
    try {
      version = TemplateVersion.fromJson(Buffer.buffer(value).toJsonObject());
    } catch (RuntimeException e) {
      return "record " + key + " of the templates topic is not a template: " + e.getMessage();
    }
    if (!version.key().equals(key)) {
      return "record " + key + " of the templates topic holds " + version.key();
    }
    NavigableMap<Integer, TemplateVersion> versions = byName.computeIfAbsent(version.tenant() + "/" + version.name(),
        n -> new ConcurrentSkipListMap<>());
    TemplateVersion first = versions.putIfAbsent(version.version(), version);
    return first != null && !first.sameContent(version)
        ? "template " + key + " was written again with other content; the first stays" : null;
  }

  private void remove(String key) {
    String[] parts = key.split("/");
    if (parts.length == 3) {
      NavigableMap<Integer, TemplateVersion> versions = byName.get(parts[0] + "/" + parts[1]);
      try {
        if (versions != null) {
          versions.remove(Integer.parseInt(parts[2]));
        }
      } catch (NumberFormatException e) {
        return;
      }
      compiled.remove(key);
    }
  }

  /** The tenant's versions of the template, oldest first; empty when it has none. */
  public List<TemplateVersion> versions(String tenant, String name) {
    NavigableMap<Integer, TemplateVersion> versions = byName.get(tenant + "/" + name);
    return versions == null ? List.of() : List.copyOf(versions.values());
  }

  public Optional<TemplateVersion> find(String tenant, String name, int version) {
    NavigableMap<Integer, TemplateVersion> versions = byName.get(tenant + "/" + name);
    return Optional.ofNullable(versions == null ? null : versions.get(version));
  }

  /** The highest version registered, 0 when none is. */
  public int latest(String tenant, String name) {
    NavigableMap<Integer, TemplateVersion> versions = byName.get(tenant + "/" + name);
    return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
  }

  /** The tenant's templates as a {@link TemplateRegistry}: a job names a template without its tenant. */
  public TemplateRegistry of(String tenant) {
    return ref -> find(tenant, ref.name(), ref.version())
        .map(version -> compiled.computeIfAbsent(version.key(), k -> version.compile()));
  }
}
