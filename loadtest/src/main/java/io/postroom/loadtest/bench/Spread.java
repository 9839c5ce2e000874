package io.postroom.loadtest.bench;

import java.util.List;

/**
 * The median and range of one figure over a sender's repetitions: what the table prints and the
 * targets are judged on (medians, so that one disturbed repetition on a shared machine moves
 * nothing). NaN values (not measured) are left out.
 */
record Spread(double median, double min, double max, int count) {

  static Spread of(List<Double> values) {
    double[] finite = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
    if (finite.length == 0) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double value : finite) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    return new Spread(SteadyState.median(finite), min, max, finite.length);
  }

  /** "median (min–max)" with the format for each number; the range only with more than one value. */
  String format(String number) {
    if (count == 0) {
      return "-";
    }
    String median = String.format(java.util.Locale.ROOT, number, this.median);
    return count == 1 ? median
        : median + " (" + String.format(java.util.Locale.ROOT, number, min) + "–"
            + String.format(java.util.Locale.ROOT, number, max) + ")";
  }
}
