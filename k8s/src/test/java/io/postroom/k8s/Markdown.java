package io.postroom.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file of the repository read the way GitHub renders it, as far as the documentation
 * tests need: the names in the first column of its tables, its relative links, and the anchors of
 * its headings. Fenced code blocks and inline code are not prose: links and headings in them do not
 * count.
 */
final class Markdown {
  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```[^\\n]*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");

  final Path file;
  private final String text;
  private final String prose;

  private Markdown(Path file) {
    this.file = file;
    this.text = Repository.read(file);
    this.prose = FENCE.matcher(text).replaceAll("");
  }

  static Markdown read(Path file) {
    return new Markdown(file);
  }

  /** The code spans of every table row's first cell: the names a reference table documents. */
  Set<String> firstColumnNames() {
    Set<String> names = new LinkedHashSet<>();
    firstColumnRows().forEach(names::addAll);
    return names;
  }

  /** The first cells' code spans, grouped by row in the order written. */
  List<List<String>> firstColumnRows() {
    List<List<String>> rows = new ArrayList<>();
    for (String line : prose.split("\n")) {
      if (line.startsWith("|") && !line.startsWith("|---")) {
        List<String> row = new ArrayList<>();
        Matcher m = CODE_SPAN.matcher(line.split("\\|", 3)[1]);
        while (m.find()) {
          row.add(m.group(1));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Targets of the links that are neither absolute URLs nor mail addresses, in the order written. */
  List<String> relativeLinks() {
    List<String> links = new ArrayList<>();
    Matcher m = LINK.matcher(INLINE_CODE.matcher(prose).replaceAll(""));
    while (m.find()) {
      String target = m.group(1);
      if (!target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
        links.add(target);
      }
    }
    return links;
  }

  /** The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
  Set<String> anchors() {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(prose);
    while (m.find()) {
      String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return anchors;
  }
}
