package io.postroom.dispatcher.redrive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a re-drive did, per {@code postroom-error-code}: letters re-driven (in a dry run: that would
 * be), and letters skipped because they were dead-lettered without their bytes. Filled by one thread.
 */
public final class RedriveReport {
  /** The label of dead letters that carry no code header. */
  public static final String NO_CODE = "(no code)";

  private final boolean dryRun;
  private final SortedMap<String, Integer> redriven = new TreeMap<>();
  private final SortedMap<String, Integer> skipped = new TreeMap<>();

  public RedriveReport(boolean dryRun) {
    this.dryRun = dryRun;
  }

  void redriven(String code) {
    redriven.merge(label(code), 1, Integer::sum);
  }

  void skipped(String code) {
    skipped.merge(label(code), 1, Integer::sum);
  }

  private static String label(String code) {
    return code == null ? NO_CODE : code;
  }

  public boolean dryRun() {
    return dryRun;
  }

  /** Re-driven (or, in a dry run, selected) letters per code, codes in name order. */
  public Map<String, Integer> redriven() {
    return Collections.unmodifiableSortedMap(redriven);
  }

  public Map<String, Integer> skipped() {
    return Collections.unmodifiableSortedMap(skipped);
  }

  public int total() {
    return redriven.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** One line per code, then the total: {@code RETRIES_EXHAUSTED: 12 re-driven}, {@code total: 12 re-driven}. */
  public List<String> lines() {
    String verb = dryRun ? " would be re-driven" : " re-driven";
    SortedMap<String, Integer> codes = new TreeMap<>(redriven);
    skipped.keySet().forEach(code -> codes.putIfAbsent(code, 0));
    List<String> lines = new ArrayList<>();
    codes.forEach((code, count) -> {
      int without = skipped.getOrDefault(code, 0);
      lines.add(code + ": " + count + verb + (without == 0 ? ""
          : ", " + without + " skipped: dead-lettered without their bytes (postroom-error says where the original is)"));
    });
    lines.add("total: " + total() + verb + (dryRun ? " (dry run: nothing published)" : ""));
    return lines;
  }
}
