package io.postroom.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the manifests rely on in the repository's Dockerfile: its stages, entry point, default
 * command, exposed ports and user. Only the exec (JSON array) form of ENTRYPOINT and CMD is
 * accepted: the shell form would make the JVM a child of /bin/sh, which does not pass SIGTERM on.
 */
record Dockerfile(List<String> from, List<String> entrypoint, List<String> cmd, Set<Integer> exposed, String user) {

  static Dockerfile read(Path file) {
    List<String> instructions;
    try {
      instructions = instructions(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> from = new ArrayList<>();
    List<String> entrypoint = null;
    List<String> cmd = null;
    Set<Integer> exposed = new LinkedHashSet<>();
    String user = null;
    for (String instruction : instructions) {
      String[] parts = instruction.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
      String rest = parts.length > 1 ? parts[1].trim() : "";
      switch (keyword) {
        case "FROM" -> {
          from.add(rest.split("\\s+")[0]);
          // each stage starts afresh: only the last stage's settings make the image
          entrypoint = null;
          cmd = null;
          exposed.clear();
          user = null;
        }
        case "ENTRYPOINT" -> entrypoint = execForm(keyword, rest);
        case "CMD" -> cmd = execForm(keyword, rest);
        case "EXPOSE" -> {
          for (String port : rest.split("\\s+")) {
            exposed.add(Integer.parseInt(port.replaceAll("/(tcp|udp)$", "")));
          }
        }
        case "USER" -> user = rest;
        default -> {
        }
      }
    }
    return new Dockerfile(List.copyOf(from), entrypoint, cmd, Set.copyOf(exposed), user);
  }

  /** The numeric user id the image runs as (USER uid or uid:gid), or null when it is a name. */
  Long uid() {
    if (user == null) {
      return null;
    }
    String uid = user.split(":")[0];
    return uid.matches("\\d+") ? Long.valueOf(uid) : null;
  }

  private static List<String> execForm(String keyword, String value) {
    if (!value.startsWith("[")) {
      throw new IllegalArgumentException(keyword + " must use the exec form [\"...\"], got: " + value);
    }
    try {
      return List.copyOf(new ObjectMapper().readValue(value, new TypeReference<List<String>>() { }));
    } catch (IOException e) {
      throw new IllegalArgumentException(keyword + " is not a JSON array of strings: " + value, e);
    }
  }

  /** Instructions with comments removed and continuation lines joined. */
  private static List<String> instructions(String text) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      if (current.length() > 0) {
        instructions.add(current.toString().strip());
      }
      current.setLength(0);
    }
    return instructions;
  }
}
