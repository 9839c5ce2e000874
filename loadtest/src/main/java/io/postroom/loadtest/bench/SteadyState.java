package io.postroom.loadtest.bench;

import java.util.Arrays;
import java.util.List;

/**
 * When a window reached its steady state. The window's per-second counts c[0..n-1] (second k is
 * [start + k s, start + k + 1 s)); only whole seconds count: the last second is left out when the
 * window ends inside it. m is the median of those counts. The time to steady is the first second k
 * such that c[k] and every later whole second's count lie within ±10 % of m; it is k seconds from
 * the window's start, -1 when no second qualifies (fewer than 2 whole seconds, or the last one off).
 */
final class SteadyState {
  static final double TOLERANCE = 0.10;

  private SteadyState() {
  }

  /** {@code perSecond} counted from the window's start, the window {@code seconds} long. */
  static int secondsToSteady(List<Long> perSecond, double seconds) {
    int whole = Math.min(perSecond.size(), (int) Math.floor(seconds + 1e-9));
    if (whole < 2) {
      return -1;
    }
    double median = median(perSecond.subList(0, whole).stream().mapToDouble(Long::doubleValue).toArray());
    int steadyFrom = -1;
    for (int k = whole - 1; k >= 0; k--) {
      if (Math.abs(perSecond.get(k) - median) > TOLERANCE * median) {
        break;
      }
      steadyFrom = k;
    }
    return steadyFrom;
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
